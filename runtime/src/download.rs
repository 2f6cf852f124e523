//! Streaming bodies (log downloads): bytes go to the caller as they arrive, never buffered whole.

use std::io::Write;
use std::pin::Pin;

use bytes::Bytes;
use flate2::write::MultiGzDecoder;
use futures_util::{stream, Stream, StreamExt};

use crate::error::Error;
use crate::response::RateLimit;

/// A stream of body chunks.
pub type ByteStream = Pin<Box<dyn Stream<Item = Result<Bytes, Error>> + Send>>;

/// A success response whose body has not been read yet.
#[derive(Debug)]
pub struct Download {
    operation: &'static str,
    response: reqwest::Response,
}

impl Download {
    pub(crate) fn new(operation: &'static str, response: reqwest::Response) -> Self {
        Download { operation, response }
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

    /// The body as it arrives, unchanged (for Atlas log downloads: gzip-compressed).
    pub fn into_stream(self) -> ByteStream {
        let operation = self.operation;
        Box::pin(stream::try_unfold(self.response, move |mut response| async move {
            match response.chunk().await {
                Ok(Some(chunk)) => Ok(Some((chunk, response))),
                Ok(None) => Ok(None),
                Err(e) => Err(Error::transport(operation, e)),
            }
        }))
    }

    /// The body gunzipped on the fly, chunk by chunk (concatenated gzip members included).
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

    /// Reads the whole body into memory (for small files; prefer the streams).
    pub async fn bytes(self) -> Result<Bytes, Error> {
        let operation = self.operation;
        self.response.bytes().await.map_err(|e| Error::transport(operation, e))
    }
}
