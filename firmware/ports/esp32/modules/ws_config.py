# Settings frozen into the firmware. A config.py on the board's file system overrides any of these,
# so credentials and the server can change without rebuilding. Every setting and its default is
# listed in firmware/README.md ("Configuration").

# Wi-Fi
WIFI_SSID = "your-wifi-ssid"
WIFI_PASSWORD = "your-wifi-password"  # never printed: the client logs the SSID only
WIFI_TIMEOUT_MS = 15000

# WebSocket server: ws://host:port/path or wss://host:port/path (a ?query is allowed and is
# redacted in logs, as it may carry a token)
WS_URL = "ws://192.168.1.100:8080/"
WS_SUBPROTOCOLS = ()  # e.g. ("chat",)
WS_HEADERS = {}  # e.g. {"Authorization": "Bearer <token>"}; values are never logged

# TLS for wss://: a CA certificate file on the board, or the server certificate's SHA-256
# fingerprint; with neither, the connection is encrypted but not verified (a warning is logged)
TLS_CA_FILE = ""
TLS_FINGERPRINT = ""

# Reconnection: delays grow from RECONNECT_DELAY_MS to RECONNECT_MAX_DELAY_MS with +-20% jitter;
# after MAX_RECONNECT_ATTEMPTS consecutive failures (0 = never) GIVE_UP_ACTION: "reset", "stop"
# or "deepsleep"
RECONNECT_DELAY_MS = 1000
RECONNECT_MAX_DELAY_MS = 30000
MAX_RECONNECT_ATTEMPTS = 0
GIVE_UP_ACTION = "reset"

# Keepalive: a ping every PING_INTERVAL_MS; no pong within PING_TIMEOUT_MS means the link is dead
PING_INTERVAL_MS = 20000
PING_TIMEOUT_MS = 10000

# Messages
MAX_MESSAGE_SIZE = 16384  # bigger incoming messages are refused with close code 1009
MIN_FREE_BLOCK = 4096  # after a MemoryError, no free block this big after a collection resets the board
OUTBOX_SIZE = 16  # messages kept while offline; the oldest is dropped when full
STATUS_INTERVAL_MS = 60000  # periodic status message (uptime, heap); 0 turns it off
