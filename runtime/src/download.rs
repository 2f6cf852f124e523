//! Streaming bodies (log downloads): bytes go to the caller as they arrive, never buffered whole,
//! and with no size limit. Each wait for more bytes is bounded by the read idle timeout and
//! the call's deadline: a download of any length goes on as long as bytes keep coming.

#[cfg(feature = "gzip")]
use std::io::Write;
use std::pin::Pin;

use bytes::{Bytes, BytesMut};
#[cfg(feature = "gzip")]
use flate2::write::MultiGzDecoder;
#[cfg(feature = "gzip")]
use futures_util::StreamExt;
use futures_util::{stream, Stream};

use crate::body::{Alarm, ReadBounds};
use crate::error::Error;
use crate::response::RateLimit;

/// A stream of body chunks.
pub type ByteStream = Pin<Box<dyn Stream<Item = Result<Bytes, Error>> + Send>>;

/// A success response whose body has not been read yet.
#[derive(Debug)]
pub struct Download {
    operation: &'static str,
    response: reqwest::Response,
    read: ReadBounds,
    /// The call's timer, which the waits for body bytes go on using.
    alarm: Alarm,
}

impl Download {
    /// The body of `response`, to be read within `read`, with the call's timer `alarm`.
    pub(crate) fn new(operation: &'static str, response: reqwest::Response, read: ReadBounds, alarm: Alarm) -> Self {
        Download {
            operation,
            response,
            read,
            alarm,
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.response.status().as_u16()
    }

    /// The response headers.
    pub fn headers(&self) -> &http::HeaderMap {
        self.response.headers()
    }

    /// `RateLimit-Limit` and `RateLimit-Remaining`.
    pub fn rate_limit(&self) -> RateLimit {
        RateLimit::from_headers(self.response.headers())
    }

    /// The body as it arrives, unchanged (for Atlas log downloads: gzip-compressed). A wait
    /// for more bytes longer than the read idle timeout, or past the call's deadline, ends the
    /// stream with [`Error::Timeout`].
    pub fn into_stream(self) -> ByteStream {
        let (operation, read) = (self.operation, self.read);
        Box::pin(stream::try_unfold(
            (self.response, self.alarm),
            move |(mut response, mut alarm)| async move {
                Ok(read
                    .next_chunk(operation, &mut response, &mut alarm)
                    .await?
                    .map(|chunk| (chunk, (response, alarm))))
            },
        ))
    }

    /// The body gunzipped on the fly, chunk by chunk (concatenated gzip members included).
    /// Needs the `gzip` feature (opt-in: `features = ["gzip"]`).
    #[cfg(feature = "gzip")]
    pub fn into_decompressed_stream(self) -> ByteStream {
        let operation = self.operation;
        let corrupt = move |e: std::io::Error| Error::Download {
            operation,
            message: format!("not valid gzip: {e}"),
        };
        let state = (self.into_stream(), Some(MultiGzDecoder::new(Vec::new())));
        Box::pin(stream::try_unfold(state, move |(mut chunks, decoder)| async move {
            let Some(mut decoder) = decoder else { return Ok(None) };
            loop {
                match chunks.next().await {
                    Some(chunk) => {
                        decoder.write_all(&chunk?).map_err(corrupt)?;
                        // The decoder keeps the output of its last write until it is flushed:
                        // without this, what arrived would wait for the next chunk (and be lost
                        // to a stall after it).
                        decoder.flush().map_err(corrupt)?;
                        let out = std::mem::take(decoder.get_mut());
                        if !out.is_empty() {
                            return Ok(Some((Bytes::from(out), (chunks, Some(decoder)))));
                        }
                    }
                    None => {
                        let rest = decoder.finish().map_err(corrupt)?;
                        if rest.is_empty() {
                            return Ok(None);
                        }
                        return Ok(Some((Bytes::from(rest), (chunks, None))));
                    }
                }
            }
        }))
    }

    /// Reads the whole body into memory, with no size limit (for small files; prefer the
    /// streams).
    pub async fn bytes(mut self) -> Result<Bytes, Error> {
        let mut body = BytesMut::new();
        while let Some(chunk) = self
            .read
            .next_chunk(self.operation, &mut self.response, &mut self.alarm)
            .await?
        {
            body.extend_from_slice(&chunk);
        }
        Ok(body.freeze())
    }
}
