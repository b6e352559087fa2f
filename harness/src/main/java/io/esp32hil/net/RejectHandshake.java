package io.esp32hil.net;

/** A new connection's WebSocket handshake is answered with this HTTP status, and the connection closed. */
record RejectHandshake(int status) implements Fault {
    @Override
    public String kind() {
        return "reject";
    }

    @Override
    public String describe() {
        return "reject status=" + status;
    }

    @Override
    public int rejectStatus() {
        return status;
    }

    /** The reason phrase a server sends with the status. */
    static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            default -> "Error";
        };
    }
}
