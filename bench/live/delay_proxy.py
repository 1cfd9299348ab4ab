#!/usr/bin/env python3
"""A TCP proxy that delivers each server's bytes DELAY_MS late: round-trip time for loopback mirrors.

    delay_proxy.py DELAY_MS LISTEN_IP:PORT=SERVER_IP:PORT ...

This machine's kernel has no netem, so the live benchmark puts this in front of each nginx mirror to give
its answers a wide-area round trip. Every chunk read from the server is written to the client DELAY_MS after
it was read, in order (so a response's first byte comes DELAY_MS after the request reached the server, and
its body keeps the server's pace); bytes from the client go straight through. A new connection costs one
round trip more, as TCP's handshake would (its first request waits DELAY_MS before it is passed on); TCP slow
start is not modelled. One server connection per client connection, so nginx's per-client connection limit
still holds.
"""
import asyncio
import socket
import sys
import time

CHUNK = 1 << 16
# Bytes of a server's answer held here at most (read, not yet delivered), as a TCP window would: a round
# trip's worth at 32 MiB/s (a little more than the benchmark's 24 MiB/s links), and no less than 1 MiB. With
# a small receive buffer towards the server, nginx thus finishes sending an answer about as late as it would
# over a real path, instead of handing a whole file to the proxy at once (which would free its per-client
# connection slot long before the client has the bytes). Set in main() from the delay.
HELD = 1 << 20
SERVER_RCVBUF = 64 << 10


async def forward(reader, writer):
    """Client to server, as it comes."""
    try:
        while True:
            data = await reader.read(CHUNK)
            if not data:
                break
            writer.write(data)
            await writer.drain()
        writer.write_eof()
    except (ConnectionError, OSError):
        pass


async def forward_late(reader, writer, delay):
    """Server to client, each chunk `delay` seconds after it was read; the end of stream too."""
    queue = asyncio.Queue()
    held = 0
    room = asyncio.Event()
    room.set()

    async def read():
        nonlocal held
        try:
            while True:
                await room.wait()
                data = await reader.read(CHUNK)
                held += len(data)
                if held >= HELD:
                    room.clear()
                await queue.put((time.monotonic() + delay, data))
                if not data:
                    return
        except (ConnectionError, OSError):
            await queue.put((time.monotonic() + delay, b""))

    async def write():
        nonlocal held
        try:
            while True:
                due, data = await queue.get()
                wait = due - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                if not data:
                    writer.write_eof()
                    return
                writer.write(data)
                await writer.drain()
                held -= len(data)
                if held < HELD:
                    room.set()
        except (ConnectionError, OSError):
            pass

    reading = asyncio.ensure_future(read())
    await write()
    reading.cancel()  # the client is gone (or the answer ended): stop reading for it


def handler(server, delay):
    async def handle(client_reader, client_writer):
        await asyncio.sleep(delay)  # the handshake's round trip
        try:
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, SERVER_RCVBUF)
            sock.setblocking(False)
            await asyncio.get_running_loop().sock_connect(sock, server)
            server_reader, server_writer = await asyncio.open_connection(sock=sock)
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(forward(client_reader, server_writer),
                             forward_late(server_reader, client_writer, delay))
        client_writer.close()
        server_writer.close()
    return handle


def address(text):
    host, port = text.rsplit(":", 1)
    return host, int(port)


async def main(argv):
    if len(argv) < 2:
        sys.exit("usage: delay_proxy.py DELAY_MS LISTEN_IP:PORT=SERVER_IP:PORT ...")
    delay = float(argv[0]) / 1000.0
    global HELD
    HELD = max(1 << 20, int(delay * (32 << 20)))
    servers = []
    for pair in argv[1:]:
        listen, server = pair.split("=", 1)
        host, port = address(listen)
        servers.append(await asyncio.start_server(handler(address(server), delay), host, port))
    print("ready", flush=True)
    await asyncio.gather(*(s.serve_forever() for s in servers))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
