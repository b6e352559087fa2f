package io.esp32hil.net;

/** Each connection, open or new, closes (FIN, mid-message if need be) once it has carried this many more bytes, both ways together. */
record CutAfter(long bytes) implements Fault {
    @Override
    public String kind() {
        return "cut_after";
    }

    @Override
    public String describe() {
        return "cut_after bytes=" + bytes;
    }

    @Override
    public long budget() {
        return bytes;
    }
}
