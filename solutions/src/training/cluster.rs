//! §4.2 A simulated cluster (模拟集群): N worker threads that stand for N GPUs.
//!
//! Each worker is a thread with its own data; the only way to share anything is a
//! message over a channel, and every byte sent and received is counted. The names follow
//! `torch.distributed`: [`run`] is `torch.multiprocessing.spawn` plus
//! `init_process_group`, a [`Comm`] knows its `rank` and `world_size`, and offers
//! `send` / `recv` and `broadcast`; the ring collectives (`reduce_scatter`, `all_gather`,
//! `all_reduce`) are built on them in [`super::ring_allreduce`]. NCCL's point-to-point
//! semantics are kept: messages between one pair of ranks arrive in the order they were
//! sent. Paper: none; this is the test bench for §4.1–§4.4.
//!
//! Every wait is bounded. A worker that panics drops its channels, so its peers' waits
//! end at once with [`CommError::Disconnected`]; a deadlock ends with
//! [`CommError::Timeout`]; and [`run`] reports the root cause, never a hang.

use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

/// What one worker sent and received, in bytes of f32 payload (4 per value).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Traffic {
    pub bytes_sent: usize,
    pub bytes_received: usize,
    pub messages_sent: usize,
}

/// Why a communication call failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommError {
    /// No message from `peer` within the run's timeout: a deadlock or a lost message.
    Timeout { rank: usize, peer: usize, waited_ms: u128 },
    /// `peer` has exited (returned or panicked) and can no longer send or receive.
    Disconnected { rank: usize, peer: usize },
}

impl std::fmt::Display for CommError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CommError::Timeout { rank, peer, waited_ms } => write!(
                f,
                "rank {rank} waited {waited_ms} ms for a message from rank {peer} and gave up: \
                 a deadlock (both waiting to receive?) or a send that never happened"
            ),
            CommError::Disconnected { rank, peer } => write!(
                f,
                "rank {rank} lost rank {peer}: it exited (returned early or panicked) while \
                 rank {rank} still expected to exchange a message with it"
            ),
        }
    }
}

impl std::error::Error for CommError {}

/// One worker's end of the cluster: its rank, and a channel to and from every other rank.
pub struct Comm {
    rank: usize,
    world_size: usize,
    /// `to[p]` sends to rank p (`None` at our own rank).
    to: Vec<Option<Sender<Vec<f32>>>>,
    /// `from[p]` receives what rank p sent to us.
    from: Vec<Option<Receiver<Vec<f32>>>>,
    timeout: Duration,
    traffic: Traffic,
    /// Bytes this worker declares it holds now ([`Comm::hold`]), and the most it ever held.
    held: usize,
    peak_held: usize,
}

impl Comm {
    /// This worker's index, 0 ≤ rank < world_size (`dist.get_rank()`).
    pub fn rank(&self) -> usize {
        self.rank
    }
    /// The number of workers (`dist.get_world_size()`).
    pub fn world_size(&self) -> usize {
        self.world_size
    }
    /// The bytes counted so far.
    pub fn traffic(&self) -> Traffic {
        self.traffic
    }

    /// Sends a copy of `data` to rank `dst` (`dist.send`). Never blocks: the channels are
    /// unbounded, like NCCL's eager protocol for small messages.
    pub fn send(&mut self, dst: usize, data: &[f32]) -> Result<(), CommError> {
        let link = self.to[dst].as_ref().expect("a rank does not send to itself");
        link.send(data.to_vec())
            .map_err(|_| CommError::Disconnected { rank: self.rank, peer: dst })?;
        self.traffic.bytes_sent += std::mem::size_of_val(data);
        self.traffic.messages_sent += 1;
        Ok(())
    }

    /// Receives the next message from rank `src` (`dist.recv`), waiting at most the run's
    /// timeout.
    pub fn recv(&mut self, src: usize) -> Result<Vec<f32>, CommError> {
        let link = self.from[src].as_ref().expect("a rank does not receive from itself");
        let data = link.recv_timeout(self.timeout).map_err(|e| match e {
            RecvTimeoutError::Timeout => CommError::Timeout {
                rank: self.rank,
                peer: src,
                waited_ms: self.timeout.as_millis(),
            },
            RecvTimeoutError::Disconnected => {
                CommError::Disconnected { rank: self.rank, peer: src }
            }
        })?;
        self.traffic.bytes_received += std::mem::size_of_val(data.as_slice());
        Ok(data)
    }

    /// Copies `root`'s `data` into every rank's `data` (`dist.broadcast`). The root sends
    /// the whole buffer to each rank in turn: (N − 1) · S bytes from the root.
    pub fn broadcast(&mut self, data: &mut [f32], root: usize) -> Result<(), CommError> {
        if self.rank == root {
            for peer in (0..self.world_size).filter(|&p| p != root) {
                self.send(peer, data)?;
            }
        } else {
            let got = self.recv(root)?;
            assert_eq!(got.len(), data.len(), "broadcast: rank {} buffer size", self.rank);
            data.copy_from_slice(&got);
        }
        Ok(())
    }
}

/// The memory a worker holds (§4.4 counts a pipeline stage's stored activations with it).
/// The cluster cannot see a worker's allocations, so the worker declares them: `hold` when
/// it keeps a buffer, `release` when it frees one; the peak is what a GPU would need.
impl Comm {
    /// Records that this worker now also holds `bytes`.
    pub fn hold(&mut self, bytes: usize) {
        self.held += bytes;
        self.peak_held = self.peak_held.max(self.held);
    }
    /// Records that this worker freed `bytes` it had declared with [`Comm::hold`].
    pub fn release(&mut self, bytes: usize) {
        assert!(
            bytes <= self.held,
            "rank {} releases {bytes} B but holds {}",
            self.rank,
            self.held
        );
        self.held -= bytes;
    }
    /// The bytes held now.
    pub fn bytes_held(&self) -> usize {
        self.held
    }
    /// The most bytes held at once so far.
    pub fn peak_bytes_held(&self) -> usize {
        self.peak_held
    }
}

/// Why a run failed: the first worker to panic, or else the first communication error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClusterError {
    Panicked { rank: usize, message: String },
    Comm(CommError),
}

impl std::fmt::Display for ClusterError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ClusterError::Panicked { rank, message } => {
                write!(f, "rank {rank} panicked: {message}")
            }
            ClusterError::Comm(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for ClusterError {}

/// The default bound on every wait: far above any step of the course's tiny models.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(20);

/// Runs `worker` on `world_size` threads, each with its own [`Comm`], and returns each
/// rank's result and traffic, in rank order.
///
/// Subtle: when a worker panics, its peers see [`CommError::Disconnected`] a moment later.
/// The panic is the cause and the disconnections its symptoms, so a panic is reported
/// before any communication error.
// ANCHOR: run
pub fn run<R: Send>(
    world_size: usize,
    timeout: Duration,
    worker: impl Fn(&mut Comm) -> Result<R, CommError> + Sync,
) -> Result<Vec<(R, Traffic)>, ClusterError> {
    assert!(world_size > 0, "a cluster needs at least one worker");
    // One channel per ordered pair (src, dst), so that `recv(src)` reads only src's
    // messages, in the order src sent them.
    let mut to: Vec<Vec<Option<Sender<Vec<f32>>>>> = (0..world_size).map(|_| vec![]).collect();
    let mut from: Vec<Vec<Option<Receiver<Vec<f32>>>>> =
        (0..world_size).map(|_| (0..world_size).map(|_| None).collect()).collect();
    for (src, links) in to.iter_mut().enumerate() {
        for (dst, inbox) in from.iter_mut().enumerate() {
            if src == dst {
                links.push(None);
            } else {
                let (s, r) = channel();
                links.push(Some(s));
                inbox[src] = Some(r);
            }
        }
    }
    let comms = to.into_iter().zip(from).enumerate().map(|(rank, (to, from))| Comm {
        rank,
        world_size,
        to,
        from,
        timeout,
        traffic: Traffic::default(),
        held: 0,
        peak_held: 0,
    });
    let outcomes: Vec<_> = std::thread::scope(|s| {
        let worker = &worker;
        let handles: Vec<_> = comms
            .map(|mut comm| s.spawn(move || worker(&mut comm).map(|r| (r, comm.traffic))))
            .collect();
        handles.into_iter().map(|h| h.join()).collect()
    });
    let mut results = Vec::with_capacity(world_size);
    let mut first_comm_error = None;
    for (rank, outcome) in outcomes.into_iter().enumerate() {
        match outcome {
            Err(payload) => {
                let message = payload
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "(no message)".into());
                return Err(ClusterError::Panicked { rank, message });
            }
            // Subtle: a rank that times out closes its channels, so a peer still waiting
            // sees a disconnection a moment later. The timeout is the cause: it wins over
            // disconnections, whichever rank it happened on.
            Ok(Err(e)) => match (&first_comm_error, &e) {
                (None, _) | (Some(CommError::Disconnected { .. }), CommError::Timeout { .. }) => {
                    first_comm_error = Some(e)
                }
                _ => {}
            },
            Ok(Ok(r)) => results.push(r),
        }
    }
    match first_comm_error {
        Some(e) => Err(ClusterError::Comm(e)),
        None => Ok(results),
    }
}
// ANCHOR_END: run

#[cfg(test)]
mod tests;
