// The benchmark's second peer: Socket.IO 4 with @socket.io/redis-adapter doing our server's job as plainly as that
// stack does it, the same job as Bench/SignalRPeer. Socket.IO's documentation runs one Node process per core behind
// one port (Node's cluster module; its "Using multiple nodes" page: with the WebSocket transport only, no sticky
// sessions are needed) and connects the processes through an adapter, here the Redis one. So:
//   - the primary forks one worker per core (PEER_WORKERS) and hands them connections round robin (cluster's
//     default on Linux); it answers nothing itself;
//   - every worker is a whole peer: Socket.IO on WebSocket only, clients join the room of each symbol they watch
//     ("subscribe" with an acknowledgement), and a pump pops the service queue exactly as the SignalR peer does: a
//     blocking BRPOP on a connection of its own, then one RPOP with a count for up to PEER_BATCH_SIZE - 1 more, and
//     each quote, as the producer wrote it, is emitted to its symbol's room as "quote". The Redis adapter publishes
//     it for the other workers and writes it to this worker's own sockets. The workers take from the queue side by
//     side, as two SignalR servers would.
//   - Like the SignalR peer: no login, no history, no indicators, no persistence, no acknowledgement (a message
//     popped is gone if the worker dies). The RPOP runs on the adapter's publishing connection, whose replies come in
//     order, so a worker takes its next batch only after Redis has answered the previous batch's publishes: the
//     SignalR peer likewise awaits its batch's sends.
//   - The tuning Socket.IO's "Performance tuning" and "Memory usage" pages give: ws' native add-ons (bufferutil,
//     utf-8-validate, optional dependencies) and dropping each connection's first HTTP request.
// Configuration by environment: PEER_REDIS (host:port), PEER_QUEUE, PEER_HOST, PEER_PORT, PEER_WORKERS,
// PEER_BATCH_SIZE, PEER_CHANNEL_PREFIX (the adapter's key, so runs sharing a Redis never hear each other).
// GET /healthz answers 200 with {"primary":pid,"workers":[pid,...]} once every worker listens, 503 before.
import cluster from "node:cluster";
import http from "node:http";
import os from "node:os";
import { createAdapter } from "@socket.io/redis-adapter";
import { createClient } from "redis";
import { Server } from "socket.io";

const config = {
  redis: process.env.PEER_REDIS ?? "127.0.0.1:6379",
  queue: process.env.PEER_QUEUE ?? "queue:rtserver",
  host: process.env.PEER_HOST ?? "127.0.0.1",
  port: Number(process.env.PEER_PORT ?? 3000),
  workers: Number(process.env.PEER_WORKERS ?? os.availableParallelism()),
  batchSize: Number(process.env.PEER_BATCH_SIZE ?? 512),
  key: process.env.PEER_CHANNEL_PREFIX ?? "socket.io",
};

if (cluster.isPrimary) {
  runPrimary();
} else {
  await runWorker();
}

function runPrimary() {
  let listening = 0;
  cluster.on("listening", () => {
    if (++listening !== config.workers) {
      return;
    }
    const status = { primary: process.pid, workers: Object.values(cluster.workers).map((w) => w.process.pid) };
    for (const worker of Object.values(cluster.workers)) {
      worker.send({ ready: status });
    }
  });
  // A worker that dies is not replaced: a benchmark must see the failure, not measure a restarted peer.
  cluster.on("exit", (worker, code, signal) => {
    console.error(`worker ${worker.process.pid} exited (${signal ?? code}); stopping`);
    process.exit(1);
  });
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.on(signal, () => {
      for (const worker of Object.values(cluster.workers)) {
        worker.process.kill("SIGKILL");
      }
      process.exit(0);
    });
  }
  for (let i = 0; i < config.workers; i++) {
    cluster.fork();
  }
}

async function runWorker() {
  const pub = createClient({ url: `redis://${config.redis}` });
  const sub = pub.duplicate();
  const blocking = pub.duplicate();
  for (const client of [pub, sub, blocking]) {
    client.on("error", (error) => console.error(`redis: ${error.message}`));
  }
  await Promise.all([pub.connect(), sub.connect(), blocking.connect()]);

  let status = null;
  process.on("message", (message) => {
    if (message?.ready) {
      status = message.ready;
    }
  });
  const httpServer = http.createServer((request, response) => {
    if (request.url === "/healthz") {
      response.writeHead(status ? 200 : 503, { "content-type": "application/json" });
      response.end(JSON.stringify(status ?? { starting: true }));
      return;
    }
    response.writeHead(404);
    response.end();
  });
  const io = new Server(httpServer, {
    transports: ["websocket"],
    serveClient: false,
    adapter: createAdapter(pub, sub, { key: config.key }),
  });
  io.engine.on("connection", (rawSocket) => {
    rawSocket.request = null;
  });
  io.on("connection", (socket) => {
    socket.on("subscribe", (symbol, ack) => {
      socket.join(String(symbol));
      if (typeof ack === "function") {
        ack();
      }
    });
    socket.on("unsubscribe", (symbol, ack) => {
      socket.leave(String(symbol));
      if (typeof ack === "function") {
        ack();
      }
    });
  });
  httpServer.listen(config.port, config.host);
  pump(io, pub, blocking);
}

async function pump(io, pub, blocking) {
  for (;;) {
    try {
      const first = await blocking.brPop(config.queue, 1);
      if (!first) {
        continue;
      }
      const rest = config.batchSize > 1 ? ((await pub.rPopCount(config.queue, config.batchSize - 1)) ?? []) : [];
      forward(io, first.element);
      for (const message of rest) {
        forward(io, message);
      }
    } catch (error) {
      console.error(`pump of ${config.queue} failed: ${error.message}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

function forward(io, text) {
  let message;
  try {
    message = JSON.parse(text);
  } catch (error) {
    console.error(`unreadable message skipped: ${error.message}`);
    return;
  }
  if (message?.type !== "quote" || typeof message.data?.symbol !== "string") {
    return;
  }
  io.to(message.data.symbol).emit("quote", message.data);
}
