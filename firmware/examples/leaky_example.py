# leaky_example.py: an application with a leak, to show what the client does when the heap runs
# out (scenarios/heap-leak-resets.yaml). Its handler keeps a kilobyte for every message, as a
# cache without a bound would; the MemoryError it ends in is logged, a collection cannot give the
# heap back, and the client resets the board (MIN_FREE_BLOCK), which comes back with its whole heap.
import websocket_client

kept = []


def on_message(message):
    kept.append(bytearray(1024))


websocket_client.main(on_message)
