#!/usr/bin/python3
"""Generated map tiles for the tile-basemap tests: nothing is fetched from outside the machine.

  tile_fixture.py tree DIR [--zmax N]          {z}/{x}/{y}.png tiles, one solid colour each
  tile_fixture.py mbtiles FILE [--zmax N] [--attribution TEXT] [--vector]
  tile_fixture.py serve DIR PORT_FILE LOG_FILE  HTTP server on 127.0.0.1 (a free port, written
                                                 to PORT_FILE once listening); one request path
                                                 per line in LOG_FILE; /z/x/y.png drawn on the
                                                 fly up to zoom 18, other paths from DIR (404
                                                 when missing)

Every tile is 256 x 256 pixels of colour(z, x, y), so a pixel of a render tells which tile was
drawn there. Standard library only (zlib + struct for PNG, sqlite3 for MBTiles).
"""
import http.server
import os
import sqlite3
import struct
import sys
import zlib


def colour(z, x, y):
    """Distinct colours for neighbouring tiles: red from x, green from y, blue from z."""
    return ((x * 67 + 30) % 256, (y * 97 + 50) % 256, (z * 40 + 20) % 256)


def png(rgb, size=256):
    def chunk(kind, data):
        c = kind + data
        return struct.pack(">I", len(data)) + c + struct.pack(">I", zlib.crc32(c) & 0xFFFFFFFF)

    row = b"\x00" + bytes(rgb) * size
    raw = row * size
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))


def tiles(zmax):
    for z in range(zmax + 1):
        for x in range(2 ** z):
            for y in range(2 ** z):
                yield z, x, y


def make_tree(root, zmax):
    for z, x, y in tiles(zmax):
        d = os.path.join(root, str(z), str(x))
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "%d.png" % y), "wb") as f:
            f.write(png(colour(z, x, y)))


def make_mbtiles(path, zmax, attribution, vector):
    if os.path.exists(path):
        os.remove(path)
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
    db.execute("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)")
    db.execute("CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row)")
    meta = {"name": "fixture", "format": "pbf" if vector else "png", "minzoom": "0", "maxzoom": str(zmax),
            "bounds": "-180,-85.0511287798,180,85.0511287798", "type": "baselayer"}
    if vector:
        meta["json"] = '{"vector_layers": [{"id": "water", "fields": {}}]}'
    if attribution:
        meta["attribution"] = attribution
    db.executemany("INSERT INTO metadata VALUES (?, ?)", meta.items())
    if not vector:
        for z, x, y in tiles(zmax):  # MBTiles rows count from the south (TMS)
            db.execute("INSERT INTO tiles VALUES (?, ?, ?, ?)", (z, x, 2 ** z - 1 - y, png(colour(z, x, y))))
    else:  # one gzip'd empty vector tile: enough for GDAL to see a vector MBTiles
        db.execute("INSERT INTO tiles VALUES (0, 0, 0, ?)", (zlib.compress(b""),))
    db.commit()
    db.close()


def serve(root, port_file, log_file):
    log = open(log_file, "a", buffering=1)

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *a, **k):
            super().__init__(*a, directory=root, **k)

        def do_GET(self):
            log.write(self.path + "\n")
            # /z/x/y.png at any zoom: drawn on the fly (the folder holds only the low zooms);
            # z 19 and deeper are "missing" (404), like a real server's.
            parts = self.path.split("?")[0].strip("/").split("/")
            if len(parts) == 3 and parts[2].endswith(".png") and all(p.isdigit() for p in (parts[0], parts[1], parts[2][:-4])):
                z, x, y = int(parts[0]), int(parts[1]), int(parts[2][:-4])
                if z <= 18 and x < 2 ** z and y < 2 ** z:
                    body = png(colour(z, x, y))
                    self.send_response(200)
                    self.send_header("Content-Type", "image/png")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
            super().do_GET()

        def log_message(self, *a):
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    tmp = port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(tmp, port_file)
    srv.serve_forever()


def main(argv):
    def opt(name, default=None):
        return argv[argv.index(name) + 1] if name in argv else default

    if len(argv) >= 2 and argv[0] == "tree":
        make_tree(argv[1], int(opt("--zmax", 4)))
    elif len(argv) >= 2 and argv[0] == "mbtiles":
        make_mbtiles(argv[1], int(opt("--zmax", 4)), opt("--attribution"), "--vector" in argv)
    elif len(argv) == 4 and argv[0] == "serve":
        serve(argv[1], argv[2], argv[3])
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
