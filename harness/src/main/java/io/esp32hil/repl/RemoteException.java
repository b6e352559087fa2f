package io.esp32hil.repl;

/** Code run through the raw REPL raised an exception on the board; the message is the board's traceback. */
public class RemoteException extends ReplException {
    private final String traceback;

    public RemoteException(String traceback) {
        super("the board raised:\n" + traceback.strip());
        this.traceback = traceback;
    }

    public String traceback() {
        return traceback;
    }
}
