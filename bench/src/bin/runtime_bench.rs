//! Client runtime overhead (issue 6, part 3).
//!
//! 1. **Per request**: a generated operation (`client.get_stream_connection(..).await`, and
//!    `client.start_stream_processor(..).await`) against the same request made with bare
//!    `reqwest`: same method, URL, `Accept`, `Authorization` and `User-Agent`, a `reqwest::Client`
//!    configured like the generated one's, the same loopback axum server, connections reused by
//!    both, and the same typed decoding of the body. The difference is what the runtime adds
//!    (builders, argument validation, URL building, the retry loop, the tracing span, error
//!    mapping). Requests alternate in blocks between the two; each figure is the median
//!    latency of many requests.
//! 2. **Decoding**: a page of 500 connections of mixed types (every known type and a few
//!    unknown ones) into the typed `PaginatedApiStreamsConnectionView` against the same bytes
//!    into `serde_json::Value`.
//! 3. **Peak memory of decoding a large page** (200 MB; 2 MB with `--quick`): the same two
//!    decoders, each in a child process of its own, alternating; the peak resident memory and
//!    what decoding added to it (see `atlas_streams_bench::peak_memory`).
//!
//! ```sh
//! cargo run --release -p atlas-streams-bench --bin runtime-bench            # full
//! cargo run -p atlas-streams-bench --bin runtime-bench -- --quick # CI smoke run (any profile)
//! ```

use std::time::{Duration, Instant};

use atlas_streams::builders::{GetStreamConnection, StartStreamProcessor};
use atlas_streams::models::{PaginatedApiStreamsConnectionView, StreamsConnection};
use atlas_streams::primitives::Bytes;
use atlas_streams::runtime::__private::{Method, Operation};
use atlas_streams::Client;
use atlas_streams_bench::args::Args;
use atlas_streams_bench::connections;
use atlas_streams_bench::machine_summary;
use atlas_streams_bench::measure::{fmt_duration, fmt_ratio, ratio, timed, verdict, Samples};
use atlas_streams_bench::peak_memory::{self, Decoder, Peak};
use atlas_streams_bench::server::Server;
use atlas_streams_bench::table::Table;

const GROUP: &str = "32b6e34b3d91647abb20e7b8";
const WORKSPACE: &str = "bench-workspace";
const CONNECTION: &str = "connection-0002";
const PROCESSOR: &str = "bench-processor";
const TOKEN: &str = "bench-token";
/// Connections in the decoded page.
const PAGE_SIZE: usize = 500;
/// Requests per block before switching to the other client.
const BLOCK: usize = 50;
/// Target: generated median latency / bare reqwest median latency.
const REQUEST_TARGET: f64 = 1.02;
/// Target: typed decode time / `serde_json::Value` decode time.
const DECODE_TARGET: f64 = 1.0;

type BoxError = Box<dyn std::error::Error>;

fn main() {
    // A child process measuring one decode's memory (see `peak_memory`).
    let argv: Vec<String> = std::env::args().collect();
    if argv.get(1).map(String::as_str) == Some(peak_memory::CHILD_FLAG) {
        if let Err(error) = peak_memory::child(&argv[2..]) {
            eprintln!("error: {error}");
            std::process::exit(1);
        }
        return;
    }
    let args = Args::parse(
        "Times a generated operation against bare reqwest on loopback, and typed decoding against serde_json::Value (time, and peak memory of a large page).",
        &[
            (
                "requests",
                "requests per client and operation (default 50000; quick 2000)",
            ),
            ("decodes", "decodes of the page per decoder (default 500; quick 50)"),
            (
                "page-mb",
                "size of the page whose decoding memory is measured, in MB (default 200; quick 2)",
            ),
        ],
    );
    let requests = args
        .number::<usize>("requests")
        .unwrap_or(if args.quick { 2_000 } else { 50_000 });
    let decodes = args
        .number::<usize>("decodes")
        .unwrap_or(if args.quick { 50 } else { 500 });
    let page_mb = args
        .number::<usize>("page-mb")
        .unwrap_or(if args.quick { 2 } else { 200 });
    let memory_runs = args.runs_or(1, 3);
    let result = run(requests.max(BLOCK), decodes.max(1)).and_then(|()| print_peak_memory(page_mb.max(1), memory_runs));
    if let Err(error) = result {
        eprintln!("error: {error}");
        std::process::exit(1);
    }
}

fn run(requests: usize, decodes: usize) -> Result<(), BoxError> {
    let page = connections::page(PAGE_SIZE);
    let server = Server::start(connections::single(), page.clone())?;
    println!("# Client runtime benchmark\n");
    println!("Machine: {}.\n", machine_summary());
    // The client's own runtime: one thread, so the server (on its own thread) does not compete
    // with it for a scheduler.
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let rows = runtime.block_on(requests_bench(&server.base_url, requests))?;
    print_requests(&rows, requests);
    drop(server);
    print_decoding(&page, decodes)?;
    Ok(())
}

/// Latencies of one operation through the generated client and through bare reqwest.
struct RequestRow {
    operation: &'static str,
    generated: Samples,
    bare: Samples,
}

async fn requests_bench(base_url: &str, requests: usize) -> Result<Vec<RequestRow>, BoxError> {
    let client = Client::builder().base_url(base_url).bearer_token(TOKEN).build()?;
    let bare = bare_client()?;
    let get = GetStreamConnection::OPERATION;
    let start = StartStreamProcessor::OPERATION;
    let get_params = [
        ("groupId", GROUP),
        ("tenantName", WORKSPACE),
        ("connectionName", CONNECTION),
    ];
    let start_params = [
        ("groupId", GROUP),
        ("tenantName", WORKSPACE),
        ("processorName", PROCESSOR),
    ];

    let get_row = alternate(
        "get_stream_connection (GET, typed body)",
        requests,
        async || {
            let value = client.get_stream_connection(GROUP, WORKSPACE, CONNECTION).await?;
            std::hint::black_box(value);
            Ok(())
        },
        async || {
            let body = bare_request(&bare, base_url, &get, &get_params).await?;
            let value: StreamsConnection = serde_json::from_slice(&body)?;
            std::hint::black_box(value);
            Ok(())
        },
    )
    .await?;
    let start_row = alternate(
        "start_stream_processor (POST, no body)",
        requests,
        async || Ok(client.start_stream_processor(GROUP, WORKSPACE, PROCESSOR).await?),
        async || {
            let body = bare_request(&bare, base_url, &start, &start_params).await?;
            std::hint::black_box(body);
            Ok(())
        },
    )
    .await?;
    Ok(vec![get_row, start_row])
}

/// Times `requests` calls of each of `generated` and `bare`, in alternating blocks of
/// [`BLOCK`] in ABBA order (so neither always goes first), after two warm-up blocks each
/// (connection set up, allocator and caches warm).
async fn alternate(
    operation: &'static str,
    requests: usize,
    mut generated: impl AsyncFnMut() -> Result<(), BoxError>,
    mut bare: impl AsyncFnMut() -> Result<(), BoxError>,
) -> Result<RequestRow, BoxError> {
    let mut row = RequestRow {
        operation,
        generated: Samples::new(),
        bare: Samples::new(),
    };
    for i in 0..(requests / BLOCK + 2) * 2 {
        let generated_turn = i % 2 == (i / 2) % 2;
        let warm_up = i < 4;
        for _ in 0..BLOCK {
            let started = Instant::now();
            if generated_turn {
                generated().await?;
            } else {
                bare().await?;
            }
            let elapsed = started.elapsed();
            if !warm_up {
                if generated_turn {
                    &mut row.generated
                } else {
                    &mut row.bare
                }
                .push(elapsed);
            }
        }
    }
    Ok(row)
}

/// A `reqwest::Client` configured as `ClientBuilder::build` configures the generated client's
/// (user agent, connect timeout, same-origin redirects), with the least a client must do to
/// bound a request's time: reqwest's own whole-request timeout (one timer per request). The
/// generated client's response and read idle timeouts, which fit streaming, are the runtime's
/// own timers around reqwest's futures, and what they cost beyond that is part of its overhead.
fn bare_client() -> Result<reqwest::Client, reqwest::Error> {
    reqwest::Client::builder()
        .user_agent(format!("atlas-streams-rust/{}", env!("CARGO_PKG_VERSION")))
        .redirect(atlas_streams::config::same_origin_redirects())
        .timeout(Duration::from_secs(60))
        .connect_timeout(Duration::from_secs(10))
        .build()
}

/// The request a generated operation sends, made by hand: its path template filled in, its
/// default version in `Accept`, the bearer token; answers the body of a success response.
async fn bare_request(
    http: &reqwest::Client,
    base_url: &str,
    operation: &Operation,
    params: &[(&str, &str)],
) -> Result<Bytes, BoxError> {
    let mut path = operation.path.to_owned();
    for (name, value) in params {
        path = path.replace(&format!("{{{name}}}"), value);
    }
    let version = operation.default_version.unwrap_or("2023-02-01");
    let method = match operation.method {
        Method::Post => reqwest::Method::POST,
        _ => reqwest::Method::GET,
    };
    let response = http
        .request(method, format!("{base_url}{path}"))
        .header(reqwest::header::ACCEPT, format!("application/vnd.atlas.{version}+json"))
        .header(reqwest::header::AUTHORIZATION, format!("Bearer {TOKEN}"))
        .send()
        .await?
        .error_for_status()?;
    Ok(response.bytes().await?)
}

fn print_requests(rows: &[RequestRow], requests: usize) {
    println!("## Per-request overhead on loopback\n");
    println!(
        "Baseline: the same request with bare `reqwest` (same headers, server, connection reuse and, \
         for GET, the same typed decode). About {requests} requests per client and operation, \
         alternating in blocks of {BLOCK}.\n"
    );
    let target = format!("target ≤ {REQUEST_TARGET}×");
    let mut table = Table::new(&[
        "operation",
        "generated median",
        "bare median",
        "generated p90",
        "bare p90",
        "overhead (median)",
        "ratio (median)",
        &target,
    ]);
    for row in rows {
        let (g, b) = (row.generated.median(), row.bare.median());
        let r = ratio(g, b);
        table.row(vec![
            row.operation.to_owned(),
            fmt_duration(g),
            fmt_duration(b),
            fmt_duration(row.generated.quantile(0.9)),
            fmt_duration(row.bare.quantile(0.9)),
            if g >= b {
                fmt_duration(g - b)
            } else {
                format!("−{}", fmt_duration(b - g))
            },
            format!("{r:.3}×"),
            verdict(r, REQUEST_TARGET),
        ]);
    }
    println!("{}", table.render());
}

fn print_decoding(page: &str, decodes: usize) -> Result<(), BoxError> {
    let bytes = page.as_bytes();
    // Check once that the typed decode is right: every connection, the unknown ones as Unknown.
    let typed: PaginatedApiStreamsConnectionView = serde_json::from_slice(bytes)?;
    let unknown = typed
        .results
        .iter()
        .filter(|c| matches!(c, StreamsConnection::Unknown(_)))
        .count();
    if typed.results.len() != PAGE_SIZE || unknown != connections::unknown_count(PAGE_SIZE) {
        return Err(format!(
            "the page decoded to {} connections, {unknown} unknown (expected {PAGE_SIZE}, {})",
            typed.results.len(),
            connections::unknown_count(PAGE_SIZE)
        )
        .into());
    }
    // The same page with each connection's `type` first (as this client, and servers that
    // write the discriminator first, send it: nothing to buffer before the tag) and last (the
    // worst case: every property is buffered before the variant is known).
    let tag_first = connections::tag_first(page)?;
    let tag_last = connections::tag_last(page)?;
    for (order, text) in [("first", &tag_first), ("last", &tag_last)] {
        let moved: PaginatedApiStreamsConnectionView = serde_json::from_str(text)?;
        // Known variants are equal whatever the order; unknown objects keep theirs, so compare
        // those as sets of entries.
        let same = moved.results.iter().zip(&typed.results).all(|(a, b)| match (a, b) {
            (StreamsConnection::Unknown(a), StreamsConnection::Unknown(b)) => {
                a.len() == b.len() && a.iter().all(|(k, v)| b.get(k) == Some(v))
            }
            _ => a == b,
        });
        if !same || moved.results.len() != typed.results.len() {
            return Err(format!("the page with `type` {order} decodes differently").into());
        }
    }
    let (t, v) = measure_decoding(bytes, decodes)?;
    let (t_first, v_first) = measure_decoding(tag_first.as_bytes(), decodes)?;
    let (t_last, v_last) = measure_decoding(tag_last.as_bytes(), decodes)?;
    let mib_per_s = |d: Duration| bytes.len() as f64 / 1024.0 / 1024.0 / d.as_secs_f64().max(1e-12);
    println!("## Decoding a page of {PAGE_SIZE} mixed connections\n");
    println!(
        "{} KiB of JSON: all {} known connection types in rotation and {unknown} of an unknown type; \
         `type` after the five common properties, then moved first, then last, in each connection. \
         Baseline: the same bytes into `serde_json::Value`. Median of {decodes} decodes each.\n",
        bytes.len() / 1024,
        connections::KNOWN_TYPES.len()
    );
    let mut table = Table::new(&["decoder", "per page", "per connection", "throughput", "vs Value"]);
    let rows = [
        ("typed `PaginatedApiStreamsConnectionView`", t, ratio(t, v)),
        ("`serde_json::Value`", v, 1.0),
        (
            "typed, `type` first in each connection",
            t_first,
            ratio(t_first, v_first),
        ),
        ("`serde_json::Value`, `type` first", v_first, 1.0),
        ("typed, `type` last in each connection", t_last, ratio(t_last, v_last)),
        ("`serde_json::Value`, `type` last", v_last, 1.0),
    ];
    for (label, time, vs_value) in rows {
        table.row(vec![
            label.into(),
            fmt_duration(time),
            fmt_duration(time / PAGE_SIZE as u32),
            format!("{:.0} MiB/s", mib_per_s(time)),
            fmt_ratio(vs_value),
        ]);
    }
    println!("{}", table.render());
    println!(
        "Target: typed no slower than `Value` (≤ {DECODE_TARGET:.2}×): {} (`type` after the common properties); \
         {} (`type` first); {} (`type` last).\n",
        verdict(ratio(t, v), DECODE_TARGET),
        verdict(ratio(t_first, v_first), DECODE_TARGET),
        verdict(ratio(t_last, v_last), DECODE_TARGET)
    );
    Ok(())
}

/// Median decode times of the same bytes, typed and into `Value`, interleaved.
fn measure_decoding(bytes: &[u8], decodes: usize) -> Result<(Duration, Duration), BoxError> {
    let (mut typed_samples, mut value_samples) = (Samples::new(), Samples::new());
    for i in 0..decodes + 2 {
        // Alternate which decoder goes first; the first two rounds warm up.
        let order = if i % 2 == 0 { [true, false] } else { [false, true] };
        for typed_turn in order {
            let elapsed = if typed_turn {
                let (v, t) = timed(|| serde_json::from_slice::<PaginatedApiStreamsConnectionView>(bytes));
                std::hint::black_box(v?);
                t
            } else {
                let (v, t) = timed(|| serde_json::from_slice::<serde_json::Value>(bytes));
                std::hint::black_box(v?);
                t
            };
            if i >= 2 {
                if typed_turn {
                    &mut typed_samples
                } else {
                    &mut value_samples
                }
                .push(elapsed);
            }
        }
    }
    Ok((typed_samples.median(), value_samples.median()))
}

/// Peak memory of decoding a page of `page_mb` MB, typed and into `Value`, `runs` times each in
/// alternation (each in a child process of its own); medians.
fn print_peak_memory(page_mb: usize, runs: usize) -> Result<(), BoxError> {
    let path = std::env::temp_dir().join(format!("atlas-streams-bench-page-{}.json", std::process::id()));
    let (connections, size) = peak_memory::write_page(&path, page_mb * 1_000_000)?;
    let mut peaks: [Vec<Peak>; 2] = [Vec::new(), Vec::new()];
    let result = (|| -> Result<(), BoxError> {
        for run in 0..runs {
            let order = if run % 2 == 0 {
                [Decoder::Typed, Decoder::Value]
            } else {
                [Decoder::Value, Decoder::Typed]
            };
            for decoder in order {
                let peak = peak_memory::measure(&path, decoder, connections)?;
                peaks[usize::from(decoder == Decoder::Value)].push(peak);
            }
        }
        Ok(())
    })();
    let _ = std::fs::remove_file(&path);
    result?;
    let median = |peaks: &[Peak], f: fn(&Peak) -> u64| {
        let mut values: Vec<u64> = peaks.iter().map(f).collect();
        values.sort_unstable();
        values[values.len() / 2]
    };
    let mib = |bytes: u64| format!("{:.0} MiB", bytes as f64 / (1024.0 * 1024.0));
    println!("## Peak memory of decoding a large page\n");
    println!(
        "A page of {connections} connections ({:.0} MB of JSON, the 500-connection page's connections repeated), \
         decoded in a child process per decode: peak resident memory (`VmHWM`) while decoding, the page's bytes \
         included, and what decoding added to the resident memory before it. Baseline: the same bytes into \
         `serde_json::Value`. Median of {runs} run(s) each, alternating.\n",
        size as f64 / 1e6
    );
    let value_growth = median(&peaks[1], Peak::growth);
    let mut table = Table::new(&[
        "decoder",
        "peak RSS",
        "added by decoding",
        "added / page size",
        "vs Value",
    ]);
    for (label, peaks) in [
        ("typed `PaginatedApiStreamsConnectionView`", &peaks[0]),
        ("`serde_json::Value`", &peaks[1]),
    ] {
        let growth = median(peaks, Peak::growth);
        table.row(vec![
            label.into(),
            mib(median(peaks, |p| p.peak)),
            mib(growth),
            format!("{:.2}×", growth as f64 / size as f64),
            fmt_ratio(growth as f64 / value_growth.max(1) as f64),
        ]);
    }
    println!("{}", table.render());
    Ok(())
}
