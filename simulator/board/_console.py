# The native engine's console: what a program prints goes to the host as the board's UART output,
# one request per write, answered once the UART's FIFO has taken it (the host paces it at the baud
# rate), so a print blocks as long as it would on a board.
import io

import _board


class Console(io.IOBase):  # an IOBase, so the interpreter's own printing (tracebacks) can use it
    def write(self, text):
        data = text.encode() if isinstance(text, str) else bytes(text)
        if data:
            _board.call("uart_out", data=data)
        return len(text)

    def write_bytes(self, data):
        _board.call("uart_out", data=data)

    def flush(self):
        pass


stdout = Console()


def board_print(*args, sep=" ", end="\n", file=None):
    (stdout if file is None else file).write(sep.join([str(a) for a in args]) + end)
