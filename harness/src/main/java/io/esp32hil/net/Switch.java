package io.esp32hil.net;

/** The faults that are simply on or off. */
enum Switch implements Fault {
    /** Nothing listens on the port: connections are refused. */
    REFUSE("refuse") {
        @Override
        public boolean refuses() {
            return true;
        }
    },
    /** Every byte vanishes both ways; new connections are accepted and never answered. */
    BLACKHOLE("blackhole") {
        @Override
        public boolean swallows() {
            return true;
        }
    },
    /** The board's bytes are not read: they back up in TCP. */
    STOP_READING("stop_reading") {
        @Override
        public boolean pausesReading() {
            return true;
        }
    };

    private final String kind;

    Switch(String kind) {
        this.kind = kind;
    }

    @Override
    public String kind() {
        return kind;
    }

    @Override
    public String describe() {
        return kind + " on=true";
    }
}
