# simple_example.py: the smallest useful client. Joins Wi-Fi, connects to WS_URL (from config.py),
# prints every message, and reconnects by itself. Upload it as main.py with websocket_client.py and
# config.py, or run it from the REPL: `import simple_example`.
import websocket_client


def on_message(message):
    print("got:", message)


websocket_client.main(on_message)
