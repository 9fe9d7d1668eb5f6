"""Load test of the REST API: N concurrent clients for T seconds against a running server.

    python scripts/load_test.py --url http://127.0.0.1:8000 --tokens KEY1,KEY2,... \
        [--clients 20] [--seconds 60] [--warmup 5] [--pick-share 0.2] [--json FILE]

Each client (a thread with its own connection, its own token taken round-robin from
`--tokens` or $LOAD_TOKENS) sends one request after another, no think time: 80% reads
across the daily endpoints (order list, order detail, requirements and material of an
order, items, stock, slips, stock moves, customers, planned orders, work orders) and 20%
small picks (a pick slip of 1 unit of a material of an open order, with an
Idempotency-Key). Picks refused by the rules (400/409, e.g. the stock is gone) are counted
apart; 5xx and connection errors are failures. The tokens need the warehouse role (reads
and picks). Prints requests per second, p50/p95/p99 overall, per kind and per endpoint,
and the answers per status; exits 1 if any request failed. Standard library only.
`scripts/load_test.sh` sets up a database, gunicorn and the tokens, and runs this.
"""

import argparse
import http.client
import json
import os
import random
import sys
import threading
import time
import urllib.parse
import uuid
from collections import Counter, defaultdict

READS = {  # endpoint name -> weight within the reads
    "orders-list": 14,
    "order-detail": 14,
    "order-requirements": 10,
    "order-material": 10,
    "items-list": 6,
    "item-detail": 6,
    "stock-list": 10,
    "slips-list": 8,
    "stock-moves": 4,
    "customers-list": 5,
    "customer-detail": 5,
    "planned-orders": 4,
    "work-orders": 4,
}
OPEN_STATES = ("confirmed", "in_production", "partly_shipped")


class Client:
    """One keep-alive HTTP connection (reopened when the server closes it)."""

    def __init__(self, base: str, token: str, timeout: float):
        parts = urllib.parse.urlsplit(base)
        conn_class = (
            http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        )
        self.prefix = parts.path.rstrip("/")
        self.conn = conn_class(parts.hostname, parts.port, timeout=timeout)
        self.headers = {"Authorization": f"Token {token}", "Accept": "application/json"}

    def request(self, method: str, path: str, body: dict | None = None, headers=None):
        """(status, body bytes); status 0 on a connection error."""
        all_headers = dict(self.headers, **(headers or {}))
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            all_headers["Content-Type"] = "application/json"
        try:
            self.conn.request(method, self.prefix + path, body=data, headers=all_headers)
            response = self.conn.getresponse()
            payload = response.read()
            if response.will_close:
                self.conn.close()
            return response.status, payload
        except (OSError, http.client.HTTPException):
            self.conn.close()
            return 0, b""

    def get_json(self, path: str):
        status, payload = self.request("GET", path)
        if status != 200:
            raise SystemExit(f"GET {path} answered {status}: {payload[:300]!r}")
        return json.loads(payload)


def discover(client: Client, orders_wanted: int = 40) -> dict:
    """Open orders, the materials they may still pick, items and customers to read."""
    orders = []
    for state in OPEN_STATES:
        page = client.get_json(f"/api/v1/orders/?status={state}&page_size=200")
        orders += [o["order_no"] for o in page["results"]]
    if not orders:
        raise SystemExit("no open orders: load the demo factory first (manage.py load_demo)")
    random.Random(1).shuffle(orders)
    picks = []
    for order_no in orders[:orders_wanted]:
        quoted = urllib.parse.quote(order_no, safe="")
        for row in client.get_json(f"/api/v1/orders/{quoted}/requirements/"):
            if float(row["pick_remaining"]) >= 1:
                picks.append((order_no, row["line"], row["item"]))
    items = [i["code"] for i in client.get_json("/api/v1/items/?page_size=200")["results"]]
    customers = [c["code"] for c in client.get_json("/api/v1/customers/?page_size=200")["results"]]
    return {"orders": orders, "picks": picks, "items": items, "customers": customers}


def read_path(name: str, data: dict, rng: random.Random) -> str:
    order = urllib.parse.quote(rng.choice(data["orders"]), safe="")
    return {
        "orders-list": f"/api/v1/orders/?status={rng.choice(OPEN_STATES)}",
        "order-detail": f"/api/v1/orders/{order}/",
        "order-requirements": f"/api/v1/orders/{order}/requirements/",
        "order-material": f"/api/v1/orders/{order}/material/",
        "items-list": "/api/v1/items/",
        "item-detail": f"/api/v1/items/{urllib.parse.quote(rng.choice(data['items']))}/",
        "stock-list": "/api/v1/stock/",
        "slips-list": "/api/v1/slips/",
        "stock-moves": "/api/v1/stock-moves/",
        "customers-list": "/api/v1/customers/",
        "customer-detail": f"/api/v1/customers/{urllib.parse.quote(rng.choice(data['customers']))}/",
        "planned-orders": "/api/v1/mrp/planned-orders/",
        "work-orders": "/api/v1/work-orders/",
    }[name]


def run_client(number: int, args, token: str, data: dict, start: float, results: list) -> None:
    rng = random.Random(number)
    client = Client(args.url, token, args.timeout)
    names, weights = list(READS), list(READS.values())
    measure_from = start + args.warmup
    stop = measure_from + args.seconds
    mine = []
    while True:
        began = time.monotonic()
        if began >= stop:
            break
        if data["picks"] and rng.random() < args.pick_share:
            order_no, line, item = rng.choice(data["picks"])
            body = {
                "kind": "pick",
                "order_no": order_no,
                "lines": [{"line": line, "item": item, "quantity": "1"}],
            }
            headers = {"Idempotency-Key": uuid.uuid4().hex}
            name, kind = "pick", "pick"
            status, _ = client.request("POST", "/api/v1/slips/", body, headers)
        else:
            name = rng.choices(names, weights)[0]
            kind = "read"
            status, _ = client.request("GET", read_path(name, data, rng))
        ended = time.monotonic()
        if began >= measure_from:
            mine.append((kind, name, status, ended - began, ended))
    results.extend(mine)


def percentile(sorted_values: list[float], share: float) -> float:
    if not sorted_values:
        return 0.0
    rank = max(1, round(share * len(sorted_values) + 0.5))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def summarise(rows: list, seconds: float) -> dict:
    def figures(selected):
        times = sorted(r[3] for r in selected)
        return {
            "requests": len(times),
            "per_second": round(len(times) / seconds, 1),
            "p50_ms": round(percentile(times, 0.50) * 1000, 1),
            "p95_ms": round(percentile(times, 0.95) * 1000, 1),
            "p99_ms": round(percentile(times, 0.99) * 1000, 1),
            "max_ms": round((times[-1] if times else 0) * 1000, 1),
        }

    by_name = defaultdict(list)
    for row in rows:
        by_name[row[1]].append(row)
    statuses = Counter((r[0], r[2]) for r in rows)
    return {
        "all": figures(rows),
        "reads": figures([r for r in rows if r[0] == "read"]),
        "picks": figures([r for r in rows if r[0] == "pick"]),
        "endpoints": {name: figures(found) for name, found in sorted(by_name.items())},
        "statuses": {f"{kind} {status}": n for (kind, status), n in sorted(statuses.items())},
        "picks_done": statuses[("pick", 201)],
        "picks_refused": statuses[("pick", 400)] + statuses[("pick", 409)],
        "throttled": sum(n for (_k, s), n in statuses.items() if s == 429),
        "failures": sum(n for (_k, s), n in statuses.items() if s == 0 or s >= 500),
        "unexpected": sum(
            n
            for (k, s), n in statuses.items()
            if 0 < s < 500
            and s != 429
            and s != (201 if k == "pick" else 200)
            and not (k == "pick" and s in (400, 409))
        ),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument(
        "--tokens",
        default=os.environ.get("LOAD_TOKENS", ""),
        help="comma-separated API tokens (warehouse role), one per client if you can",
    )
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60, help="measured time")
    parser.add_argument("--warmup", type=float, default=5, help="seconds run but not counted")
    parser.add_argument("--pick-share", type=float, default=0.2)
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    tokens = [t.strip() for t in args.tokens.split(",") if t.strip()]
    if not tokens:
        parser.error("give --tokens (or LOAD_TOKENS): python manage.py drf_create_token USER")

    data = discover(Client(args.url, tokens[0], args.timeout))
    print(
        f"{args.url}: {args.clients} clients, {args.seconds:g} s (+{args.warmup:g} s warm-up), "
        f"{args.pick_share:.0%} picks; {len(data['orders'])} open orders, "
        f"{len(data['picks'])} materials to pick from, {len(set(tokens))} tokens",
        flush=True,
    )
    results: list = []
    start = time.monotonic()
    threads = [
        threading.Thread(
            target=run_client,
            args=(n, args, tokens[n % len(tokens)], data, start, results),
            daemon=True,
        )
        for n in range(args.clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    summary = summarise(results, args.seconds)
    summary["setup"] = {
        "url": args.url,
        "clients": args.clients,
        "seconds": args.seconds,
        "pick_share": args.pick_share,
        "tokens": len(set(tokens)),
    }

    line = "{:<20} {:>7} {:>7} {:>8} {:>8} {:>8} {:>8}"
    print(line.format("", "count", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms"))
    rows = [("ALL", summary["all"]), ("reads", summary["reads"]), ("picks", summary["picks"])]
    rows += [(f"  {name}", f) for name, f in summary["endpoints"].items()]
    for label, f in rows:
        print(
            line.format(
                label,
                f["requests"],
                f["per_second"],
                f["p50_ms"],
                f["p95_ms"],
                f["p99_ms"],
                f["max_ms"],
            )
        )
    print("answers: " + ", ".join(f"{k}: {n}" for k, n in summary["statuses"].items()))
    print(
        f"picks done {summary['picks_done']}, refused (400/409) {summary['picks_refused']}, "
        f"throttled (429) {summary['throttled']}, failures (5xx, no answer) "
        f"{summary['failures']}, other unexpected {summary['unexpected']}"
    )
    if args.json:
        with open(args.json, "w") as out:
            json.dump(summary, out, indent=2)
    return 1 if summary["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
