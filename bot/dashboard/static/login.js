// Signs a browser in: the one-time token of a /dasbor link (/login#TOKEN), or Telegram's
// initData when the page runs as a Mini App (#tgWebAppData=...). The token is taken out of
// the address bar before anything else happens.
(function () {
  "use strict";
  var hash = window.location.hash.slice(1);
  if (!hash) { return; }
  window.history.replaceState(null, "", window.location.pathname);
  var initData = new URLSearchParams(hash).get("tgWebAppData");
  var url = initData ? "/auth/webapp" : "/auth/link";
  var body = initData ? { initData: initData } : { token: hash };
  function failed() {
    document.getElementById("signed-out").hidden = true;
    document.getElementById("login-failed").hidden = false;
  }
  fetch(url, {
    method: "POST", credentials: "same-origin",
    headers: { "Content-Type": "application/json" }, body: JSON.stringify(body)
  }).then(function (answer) {
    if (answer.ok) { window.location.replace("/"); } else { failed(); }
  }, failed);
}());
