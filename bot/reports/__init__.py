"""The digest and the export as documents, shared by the chat and the command line.

``posko-bot digest`` and ``posko-bot export`` build exactly what ``/ekspor`` and the daily
digest message show, from here; neither imports a handler.
"""
