"""How updates reach the application: long polling (the default) or a webhook."""
