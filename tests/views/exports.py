"""Reading the exports, which stream."""

import json


def body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def as_json(response):
    return json.loads(body(response))
