//! The proctor server: what `proctor serve` runs, the exam room on the network.
//!
//! - [`serve`] rebuilds the room from the store (a restart continues the exam), seals each form
//!   once ([`presented`]: what students see, keys stripped; [`seating`]: neighbours get other
//!   forms), binds QUIC and the loopback [`control`] channel that `proctor ctl` drives.
//! - [`RoomHandle`] is the typed way in for the dashboard and the CLI: commands, the
//!   [`RoomStatus`] view, exports signed by the server's identity, essay marks, read-only
//!   store connections.
//!
//! Shape (after mini-redis and quinn): one *room task* owns the sans-IO [`Room`] and is the only
//! place that changes exam state; one task per QUIC connection moves frames; effects the room
//! asks for (store this event, grade this sheet, …) run against the group-committing store and
//! report back to the room task, which is what turns them into acknowledgements. Start is a
//! single broadcast of 32-byte keys; packages went out while students waited.

pub mod control;
pub mod presented;
pub mod seating;

mod conn;
mod handle;
mod room_task;
mod setup;
mod status;

pub use handle::{ExportRequest, HandleError, RoomHandle};
pub use setup::{DEFAULT_LATE_WINDOW, ServeError, ServeOptions, Serving, serve};
pub use status::{RoomStatus, SeatStatus, StatusError};

use phongthi_protocol::{ClientMsg, ConnId, ServerMsg};
use tokio::sync::mpsc;

/// What connection tasks tell the room task.
pub(crate) enum Inbound {
    /// A connection is up; messages for it go to this sender.
    Connected(ConnId, mpsc::Sender<ServerMsg>),
    /// A decoded message.
    Message(ConnId, ClientMsg),
    /// Bytes that were not a message (garbage, wrong version, oversized frame): the connection
    /// is closed and the room logs an incident.
    Garbage(ConnId, String),
    /// The connection ended.
    Disconnected(ConnId),
}
