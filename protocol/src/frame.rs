//! Length-prefixed framing for the control stream: `u32` big-endian length, then the body.
//!
//! The cap is checked on the length prefix, before any allocation: a peer announcing a 4 GiB
//! frame gets a protocol error, not a 4 GiB buffer.

/// The largest control frame: 1 MiB. Form packages travel on their own stream.
pub const MAX_FRAME: usize = 1024 * 1024;

/// A framing violation. The connection should be closed after it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    /// The length prefix announces more than the cap.
    #[error("khung tin {len} byte vượt giới hạn {max} / frame of {len} bytes exceeds the {max}-byte limit")]
    TooLarge {
        /// Announced length.
        len: usize,
        /// The cap.
        max: usize,
    },
}

/// Prefixes `body` with its length.
pub fn encode_frame(body: &[u8]) -> Result<Vec<u8>, FrameError> {
    if body.len() > MAX_FRAME {
        return Err(FrameError::TooLarge { len: body.len(), max: MAX_FRAME });
    }
    let mut out = Vec::with_capacity(4 + body.len());
    out.extend_from_slice(&(body.len() as u32).to_be_bytes());
    out.extend_from_slice(body);
    Ok(out)
}

/// Collects stream bytes and yields whole frames.
#[derive(Debug)]
pub struct FrameDecoder {
    buffer: Vec<u8>,
    max: usize,
}

impl Default for FrameDecoder {
    fn default() -> Self {
        Self::new(MAX_FRAME)
    }
}

impl FrameDecoder {
    /// A decoder with cap `max`.
    pub fn new(max: usize) -> Self {
        Self { buffer: Vec::new(), max }
    }

    /// Appends bytes received from the stream.
    pub fn push(&mut self, bytes: &[u8]) {
        self.buffer.extend_from_slice(bytes);
    }

    /// The next whole frame, `Ok(None)` when more bytes are needed.
    pub fn next_frame(&mut self) -> Result<Option<Vec<u8>>, FrameError> {
        let Some(prefix) = self.buffer.get(..4) else { return Ok(None) };
        let len = u32::from_be_bytes([prefix[0], prefix[1], prefix[2], prefix[3]]) as usize;
        if len > self.max {
            return Err(FrameError::TooLarge { len, max: self.max });
        }
        if self.buffer.len() < 4 + len {
            return Ok(None);
        }
        let frame = self.buffer[4..4 + len].to_vec();
        self.buffer.drain(..4 + len);
        Ok(Some(frame))
    }

    /// Bytes held that do not yet form a frame.
    pub fn pending(&self) -> usize {
        self.buffer.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn frames_split_anywhere_reassemble() {
        let frames: Vec<Vec<u8>> = vec![b"xin chao".to_vec(), Vec::new(), vec![7; 300]];
        let stream: Vec<u8> = frames.iter().flat_map(|f| encode_frame(f).unwrap()).collect();
        for chunk in [1, 2, 3, 5, 64, stream.len()] {
            let mut decoder = FrameDecoder::default();
            let mut out = Vec::new();
            for piece in stream.chunks(chunk) {
                decoder.push(piece);
                while let Some(frame) = decoder.next_frame().unwrap() {
                    out.push(frame);
                }
            }
            assert_eq!(out, frames, "chunk size {chunk}");
            assert_eq!(decoder.pending(), 0);
        }
    }

    #[test]
    fn oversized_prefix_is_an_error_before_allocation() {
        let mut decoder = FrameDecoder::default();
        decoder.push(&u32::MAX.to_be_bytes());
        assert_eq!(decoder.next_frame(), Err(FrameError::TooLarge { len: u32::MAX as usize, max: MAX_FRAME }));
        assert!(encode_frame(&vec![0; MAX_FRAME + 1]).is_err());
    }

    proptest! {
        #[test]
        fn garbage_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
            let mut decoder = FrameDecoder::new(512);
            decoder.push(&bytes);
            while let Ok(Some(_)) = decoder.next_frame() {}
        }
    }
}
