//! Framed messages over QUIC streams.
//!
//! The control stream (one bidirectional stream per connection) carries length-prefixed frames
//! from `phongthi_protocol::frame`: a `u32` length, then the body, at most [`MAX_FRAME`] bytes.
//! The length is checked before the body is read, so a hostile peer announcing 4 GiB gets an
//! error after 4 bytes, not a 4 GiB buffer. QUIC delivers stream bytes in arbitrary pieces, so
//! [`FramedRecv`] reassembles frames split across reads and splits reads holding several frames.
//!
//! Bulk payloads (a sealed form package, up to 64 MiB) do not go through frames: each travels
//! alone on a unidirectional stream, sent with [`send_blob`] and read with [`recv_blob`] against
//! a size cap.

use crate::error::NetError;
use phongthi_protocol::frame::FrameError;
use phongthi_protocol::{FrameDecoder, MAX_FRAME, encode_frame};
use quinn::{ReadToEndError, RecvStream, SendStream, VarInt};

/// Stop code sent to a peer whose frame exceeded the cap.
pub const STOP_FRAME_TOO_LARGE: VarInt = VarInt::from_u32(0x1001);
/// Stop code sent to a peer whose blob exceeded the cap.
pub const STOP_BLOB_TOO_LARGE: VarInt = VarInt::from_u32(0x1002);

/// The largest blob a client accepts by default: the crypto crate's 64 MiB payload limit plus
/// 64 KiB for the sealed package's header, AEAD tag and signature.
pub const MAX_BLOB: usize = phongthi_crypto::MAX_PAYLOAD + 64 * 1024;

/// How much to take from quinn per read: one stream window's worth, so a read never holds more
/// than the peer was allowed to send anyway.
const READ_CHUNK: usize = crate::config::STREAM_RECEIVE_WINDOW as usize;

/// The sending half of a control stream.
#[derive(Debug)]
pub struct FramedSend {
    stream: SendStream,
}

impl FramedSend {
    /// Wraps the sending side of a stream.
    pub fn new(stream: SendStream) -> Self {
        Self { stream }
    }

    /// Sends one frame carrying `body`. Bodies over [`MAX_FRAME`] are refused before anything is
    /// written, so the stream stays usable.
    pub async fn send(&mut self, body: &[u8]) -> Result<(), NetError> {
        let frame = encode_frame(body).map_err(frame_error)?;
        self.stream.write_all(&frame).await?;
        Ok(())
    }

    /// Ends the stream cleanly: the peer's [`FramedRecv::recv`] returns `None` after the frames
    /// already sent.
    pub fn finish(&mut self) -> Result<(), NetError> {
        self.stream.finish()?;
        Ok(())
    }

    /// The underlying stream.
    pub fn into_inner(self) -> SendStream {
        self.stream
    }
}

/// The receiving half of a control stream.
#[derive(Debug)]
pub struct FramedRecv {
    stream: RecvStream,
    decoder: FrameDecoder,
}

impl FramedRecv {
    /// Wraps the receiving side of a stream, with the [`MAX_FRAME`] cap.
    pub fn new(stream: RecvStream) -> Self {
        Self { stream, decoder: FrameDecoder::new(MAX_FRAME) }
    }

    /// The next frame's body; `None` when the peer finished the stream between frames.
    ///
    /// A frame over the cap stops the stream (the peer sees [`STOP_FRAME_TOO_LARGE`]) and is an
    /// error; so is a stream that ends inside a frame. Cancel-safe: bytes already read stay in
    /// the decoder, so this can sit in a `tokio::select!` next to a timer.
    pub async fn recv(&mut self) -> Result<Option<Vec<u8>>, NetError> {
        loop {
            match self.decoder.next_frame() {
                Ok(Some(frame)) => return Ok(Some(frame)),
                Ok(None) => {}
                Err(error) => {
                    // Already failing; a stream the peer closed meanwhile changes nothing.
                    let _ = self.stream.stop(STOP_FRAME_TOO_LARGE);
                    return Err(frame_error(error));
                }
            }
            match self.stream.read_chunk(READ_CHUNK, true).await? {
                Some(chunk) => self.decoder.push(&chunk.bytes),
                None if self.decoder.pending() == 0 => return Ok(None),
                None => return Err(NetError::Truncated { pending: self.decoder.pending() }),
            }
        }
    }

    /// The underlying stream (bytes held in the decoder are dropped).
    pub fn into_inner(self) -> RecvStream {
        self.stream
    }
}

/// Sends `payload` as the whole content of `stream`, finishes it, and waits until the peer has
/// acknowledged every byte. Waiting tells the proctor the package arrived and lets it pace
/// pushes to many clients; a peer that refuses the payload gives [`NetError::StreamStopped`].
pub async fn send_blob(stream: &mut SendStream, payload: &[u8]) -> Result<(), NetError> {
    stream.write_all(payload).await?;
    stream.finish()?;
    match stream.stopped().await? {
        None => Ok(()),
        Some(code) => Err(NetError::StreamStopped { code: code.into_inner() }),
    }
}

/// Reads the whole content of `stream`, refusing more than `cap` bytes: at most `cap` bytes are
/// buffered, and the peer is told to stop sending ([`STOP_BLOB_TOO_LARGE`]).
pub async fn recv_blob(stream: &mut RecvStream, cap: usize) -> Result<Vec<u8>, NetError> {
    match stream.read_to_end(cap).await {
        Ok(payload) => Ok(payload),
        Err(ReadToEndError::TooLong) => {
            let _ = stream.stop(STOP_BLOB_TOO_LARGE);
            Err(NetError::BlobTooLarge { max: cap })
        }
        Err(ReadToEndError::Read(error)) => Err(error.into()),
    }
}

fn frame_error(error: FrameError) -> NetError {
    match error {
        FrameError::TooLarge { len, max } => NetError::FrameTooLarge { len, max },
    }
}
