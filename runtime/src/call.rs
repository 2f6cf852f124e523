//! What a generated request builder's `.await` runs: one boxed future that sends the
//! [`Prepared`] request through the client's [`Core`] and turns the success response into the
//! operation's result.

use std::future::Future;
use std::pin::Pin;

use serde::de::DeserializeOwned;

use crate::download::Download;
use crate::error::Error;
use crate::pipeline::Core;
use crate::request::Request;
use crate::response::Response;

/// The future a request builder turns into.
pub type BoxFuture<T> = Pin<Box<dyn Future<Output = Result<T, Error>> + Send + 'static>>;

/// A request built by a generated builder, or the argument error that stopped it.
pub type Prepared = Result<(Core, Request), Error>;

/// Sends a prepared request and decodes its JSON success body.
pub fn send_json<T: DeserializeOwned + Send + 'static>(prepared: Prepared) -> BoxFuture<T> {
    // One boxed future per call, not one wrapping another.
    Box::pin(async move {
        let (core, request) = prepared?;
        core.send(request).await?.json::<T>().map(Response::into_value)
    })
}

/// Like [`send_json`], keeping the status and headers.
pub fn send_json_with_response<T: DeserializeOwned + Send + 'static>(prepared: Prepared) -> BoxFuture<Response<T>> {
    Box::pin(async move {
        let (core, request) = prepared?;
        core.send(request).await?.json::<T>()
    })
}

/// Sends a prepared request whose success body carries nothing the caller needs.
pub fn send_empty(prepared: Prepared) -> BoxFuture<()> {
    Box::pin(async move {
        let (core, request) = prepared?;
        core.send(request).await.map(drop)
    })
}

/// Like [`send_empty`], keeping the status and headers.
pub fn send_empty_with_response(prepared: Prepared) -> BoxFuture<Response<()>> {
    Box::pin(async move {
        let (core, request) = prepared?;
        Ok(core.send(request).await?.empty())
    })
}

/// Sends a prepared request and hands over its body as a stream.
pub fn send_download(prepared: Prepared) -> BoxFuture<Download> {
    Box::pin(async move {
        let (core, request) = prepared?;
        core.send_streaming(request).await
    })
}
