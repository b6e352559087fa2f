# main.py: the manual-upload entry point. It starts the client from websocket_client.py (uploaded
# next to it, or frozen into the firmware); this file only holds your message handler.
#
# Run by the board after boot.py, or by hand: `import main; main.main()`. Ctrl-C stops the client
# and returns to the REPL.
import websocket_client


def handle_message(message):
    """Called for every message from the server: a str for text, bytes for binary (a bytearray
    for a binary message of over 4 KB: the buffer it was read into, as the heap may have no room
    for a copy).

    Reply with websocket_client.client.send("...") or .send_json({...}). The client has already
    logged the message ("[ws] rx ..."); exceptions raised here are logged and do not drop the link.
    """
    pass


def main():
    return websocket_client.main(handle_message)


if __name__ == "__main__" and not websocket_client.safe_mode():
    main()
