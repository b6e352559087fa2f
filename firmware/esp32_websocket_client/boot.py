# boot.py: runs first at every boot, for both deployments.
#
# Safe mode: hold the BOOT button (GPIO0) while pressing reset, or create a file named "safemode"
# (for example `mpremote touch :safemode`), and the client does not start: the REPL stays free so a
# broken configuration or handler can never lock you out of the board.
import os

import websocket_client

_reason = websocket_client.safe_mode()
if _reason:
    websocket_client.log("safe mode", "reason", _reason, "fix", "release BOOT / delete the safemode file, then reset")
elif "main.py" not in os.listdir():
    # Frozen deployment: no main.py on the file system, so start the client from here.
    websocket_client.main()
# Manual upload: main.py runs next and starts the client.
