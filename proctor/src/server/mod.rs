//! `proctor serve`: the exam room on the network.
//!
//! Shape (after mini-redis and quinn): one *room task* owns the sans-IO [`Room`] and is the only
//! place that changes exam state; one task per QUIC connection moves frames; effects the room
//! asks for (store this event, grade this sheet, …) run against the group-committing store and
//! report back to the room task, which is what turns them into acknowledgements. Start is a
//! single broadcast of 32-byte keys; packages went out while students waited.

mod conn;
mod handle;
mod room_task;
mod setup;
mod status;

pub use handle::{ExportRequest, HandleError, RoomHandle};
pub use setup::{ServeError, ServeOptions, Serving, serve};
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
