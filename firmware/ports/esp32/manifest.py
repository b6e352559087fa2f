# Freeze manifest for a MicroPython ESP32 build with the WebSocket client built in. Pass its path to
# the build as FROZEN_MANIFEST (see BUILD_INSTRUCTIONS.md). It keeps everything the stock ESP32
# firmware freezes (asyncio, the network helpers, ...) and adds the client and its default settings.
# Relative paths in a manifest are relative to the manifest file itself.
include("$(PORT_DIR)/boards/manifest.py")

module("websocket_client.py", base_path="modules")
module("ws_config.py", base_path="modules")
