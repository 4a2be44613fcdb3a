"""The asynchronous HTTP front of `lodpub serve`: a gunicorn worker that parses requests with
httptools in an asyncio (uvloop) event loop, answers kept pages from the loop, and runs the
WSGI app in a thread pool for everything else, with gunicorn's limits, environ and framing."""

from lodpub.web.front.connection import MAX_REQUEST_LINE, REQUEST_IDLE_TIMEOUT, TRANSFER_TIMEOUT
from lodpub.web.front.worker import Worker

__all__ = ["MAX_REQUEST_LINE", "REQUEST_IDLE_TIMEOUT", "TRANSFER_TIMEOUT", "Worker"]
