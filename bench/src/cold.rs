//! The two programs of the cold-build bench (issue 18), and the cold `cargo build` runs.
//!
//! One scratch workspace holds both, so that they share one lock file (every dependency they
//! have in common is the same version, and the versions are the workspace's own, from its
//! `Cargo.lock`):
//! - `client`: a user's program whose only API dependency is `atlas-streams` (the checkout's
//!   `generated/` crate as a path dependency, default features): it builds a client, lists
//!   the stream workspaces of a project and prints their names;
//! - `floor`: the same call written by hand with `reqwest` (the runtime's version, with rustls
//!   as the runtime's default TLS), `tokio`, `serde` and `serde_json`, the least any Atlas
//!   client needs.
//!
//! Both name `tokio` with `macros` and `rt-multi-thread` for their `#[tokio::main]`, as a user's
//! program does.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::measure::run_timed;

/// One of the two programs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Program {
    /// (a) depends only on `atlas-streams`.
    Client,
    /// (b) the floor: reqwest + tokio + serde + serde_json by hand.
    Floor,
}

impl Program {
    /// Both, in the order each round builds them.
    pub const BOTH: [Program; 2] = [Program::Client, Program::Floor];

    /// Its package (and directory) name in the scratch workspace.
    pub fn package(self) -> &'static str {
        match self {
            Program::Client => "cold-client",
            Program::Floor => "cold-floor",
        }
    }

    /// What the report calls it.
    pub fn label(self) -> &'static str {
        match self {
            Program::Client => "(a) atlas-streams",
            Program::Floor => "(b) reqwest + tokio + serde + serde_json",
        }
    }
}

/// `main.rs` of program (a).
const CLIENT_MAIN: &str = r#"use atlas_streams::Client;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let token = std::env::var("ATLAS_TOKEN").unwrap_or_default();
    let group = std::env::var("ATLAS_GROUP").unwrap_or_default();
    let client = Client::builder().bearer_token(token).build()?;
    let page = client.list_stream_workspaces(group).await?;
    for workspace in &page.results {
        println!("{}", workspace.name.as_deref().unwrap_or("?"));
    }
    Ok(())
}
"#;

/// `main.rs` of program (b): the same call, by hand.
const FLOOR_MAIN: &str = r#"use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Page {
    results: Vec<Workspace>,
    #[serde(rename = "totalCount")]
    _total_count: Option<i64>,
}

#[derive(Debug, Deserialize)]
struct Workspace {
    name: Option<String>,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let token = std::env::var("ATLAS_TOKEN").unwrap_or_default();
    let group = std::env::var("ATLAS_GROUP").unwrap_or_default();
    let page: Page = reqwest::Client::new()
        .get(format!("https://cloud.mongodb.com/api/atlas/v2/groups/{group}/streams"))
        .bearer_auth(token)
        .header("Accept", "application/vnd.atlas.2023-02-01+json")
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    for workspace in &page.results {
        println!("{}", workspace.name.as_deref().unwrap_or("?"));
    }
    Ok(())
}
"#;

/// The scratch workspace's manifest: both programs, one lock file.
const WORKSPACE_MANIFEST: &str = "[workspace]\nmembers = [\"cold-client\", \"cold-floor\"]\nresolver = \"2\"\n";

/// A program's manifest. `client_crate` is the `generated/` directory program (a) depends
/// on; `reqwest_version` the version requirement the runtime gives reqwest.
pub fn manifest(program: Program, client_crate: &Path, reqwest_version: &str) -> String {
    let head = format!(
        "[package]\nname = \"{}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\n",
        program.package()
    );
    let tokio = "tokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }\n";
    let dependencies = match program {
        // A literal TOML string: a Windows path's `\` is no escape there.
        Program::Client => format!("atlas-streams = {{ path = '{}' }}\n{tokio}", client_crate.display()),
        // rustls, as the runtime's default TLS; `json` for `Response::json`. No `http2`: the
        // runtime does not turn it on by default either, and the floor is the least a client
        // needs.
        Program::Floor => format!(
            "reqwest = {{ version = \"{reqwest_version}\", default-features = false, features = [\"rustls-tls\", \"json\"] }}\n\
             {tokio}serde = {{ version = \"1\", features = [\"derive\"] }}\nserde_json = \"1\"\n"
        ),
    };
    head + &dependencies
}

/// The version requirement of `reqwest` in the runtime's manifest (`reqwest = { version =
/// "0.12", ... }`), so the floor follows the runtime's upgrades.
pub fn reqwest_version(runtime_manifest: &str) -> Option<String> {
    let line = runtime_manifest
        .lines()
        .find(|l| l.trim_start().starts_with("reqwest ="))?;
    let rest = &line[line.find("version = \"")? + "version = \"".len()..];
    Some(rest[..rest.find('"')?].to_owned())
}

/// Writes the scratch workspace into `dir` (replacing the programs and manifests, keeping any
/// target directories), with `lock` (a workspace's `Cargo.lock`) as its starting lock file.
pub fn write_workspace(dir: &Path, client_crate: &Path, reqwest_version: &str, lock: &str) -> std::io::Result<()> {
    for program in Program::BOTH {
        let src = dir.join(program.package()).join("src");
        std::fs::create_dir_all(&src)?;
        let main = match program {
            Program::Client => CLIENT_MAIN,
            Program::Floor => FLOOR_MAIN,
        };
        std::fs::write(src.join("main.rs"), main)?;
        std::fs::write(
            dir.join(program.package()).join("Cargo.toml"),
            manifest(program, client_crate, reqwest_version),
        )?;
    }
    std::fs::write(dir.join("Cargo.toml"), WORKSPACE_MANIFEST)?;
    std::fs::write(dir.join("Cargo.lock"), lock)
}

/// One cold build.
#[derive(Clone, Copy, Debug)]
pub struct ColdBuild {
    /// Wall time of `cargo build`.
    pub wall: Duration,
    /// User + system CPU time of cargo and every compiler it ran, when `/usr/bin/time` was
    /// there to measure it: less sensitive than wall time to other work on the machine.
    pub cpu: Option<Duration>,
    /// How many packages cargo compiled (its `Compiling` lines; build scripts not counted apart).
    pub compiled: usize,
}

/// Runs cargo in the scratch workspace.
#[derive(Clone, Debug)]
pub struct Builder {
    /// The scratch workspace.
    pub dir: PathBuf,
    /// The cargo binary (`$CARGO` when run by cargo, else `cargo`).
    pub cargo: PathBuf,
    gnu_time: bool,
}

impl Builder {
    /// Cargo in `dir`.
    pub fn new(dir: PathBuf) -> Self {
        Builder {
            dir,
            cargo: std::env::var_os("CARGO").map_or_else(|| PathBuf::from("cargo"), PathBuf::from),
            gnu_time: Path::new("/usr/bin/time").is_file(),
        }
    }

    /// A cargo command in the scratch workspace, with nothing of the environment the bench runs
    /// in (under `cargo run`) leaking into it: its target directory, a compiler wrapper (a cache
    /// such as sccache would make a cold build warm), flags.
    fn command(&self, program: &Path) -> Command {
        let mut command = Command::new(program);
        command.current_dir(&self.dir).env("CARGO_TERM_COLOR", "never");
        for var in [
            "CARGO_TARGET_DIR",
            "CARGO_BUILD_TARGET_DIR",
            "RUSTC_WRAPPER",
            "CARGO_BUILD_RUSTC_WRAPPER",
            "RUSTC_WORKSPACE_WRAPPER",
            "RUSTFLAGS",
            "CARGO_ENCODED_RUSTFLAGS",
            "CARGO_INCREMENTAL",
            "CARGO_MANIFEST_DIR",
            "CARGO_PRIMARY_PACKAGE",
        ] {
            command.env_remove(var);
        }
        command
    }

    /// `cargo fetch` (online if need be): afterwards every build runs `--offline`. Also
    /// completes the lock file for the two programs.
    pub fn fetch(&self) -> Result<(), String> {
        let output = self
            .command(&self.cargo)
            .arg("fetch")
            .output()
            .map_err(|e| format!("cannot run {}: {e}", self.cargo.display()))?;
        if output.status.success() {
            Ok(())
        } else {
            Err(format!(
                "`cargo fetch` failed in {}:\n{}",
                self.dir.display(),
                String::from_utf8_lossy(&output.stderr)
            ))
        }
    }

    /// The distinct packages in `program`'s normal dependency tree (itself not counted):
    /// `cargo tree -e normal`, the same for a debug and a release build.
    pub fn dependency_count(&self, program: Program) -> Result<usize, String> {
        let output = self
            .command(&self.cargo)
            .args([
                "tree",
                "--offline",
                "-e",
                "normal",
                "--prefix",
                "none",
                "-p",
                program.package(),
            ])
            .output()
            .map_err(|e| format!("cannot run {}: {e}", self.cargo.display()))?;
        if !output.status.success() {
            return Err(format!(
                "`cargo tree` failed:\n{}",
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        Ok(distinct_packages(&String::from_utf8_lossy(&output.stdout)).saturating_sub(1))
    }

    /// Builds `program` from cold: its target directory (`<dir>/target-<package>`) removed
    /// first, then `cargo build --offline [--release]`.
    pub fn cold_build(&self, program: Program, release: bool) -> Result<ColdBuild, String> {
        let target = self.dir.join(format!("target-{}", program.package()));
        if target.exists() {
            std::fs::remove_dir_all(&target).map_err(|e| format!("cannot remove {}: {e}", target.display()))?;
        }
        let mut command = if self.gnu_time {
            let mut c = self.command(Path::new("/usr/bin/time"));
            c.args(["-f", "cold-build-cpu %U %S"]).arg(&self.cargo);
            c
        } else {
            self.command(&self.cargo)
        };
        command
            .args(["build", "--offline", "-p", program.package()])
            .env("CARGO_TARGET_DIR", &target);
        if release {
            command.arg("--release");
        }
        let (wall, stderr) = run_timed(&mut command, &format!("cold build of {}", program.package()))?;
        Ok(ColdBuild {
            wall,
            cpu: cpu_time(&stderr),
            compiled: stderr
                .lines()
                .filter(|l| l.trim_start().starts_with("Compiling "))
                .count(),
        })
    }
}

/// The distinct `name vX.Y.Z` packages of `cargo tree --prefix none` output (repeated subtrees
/// are marked `(*)`; a path dependency's line ends with its path).
fn distinct_packages(tree: &str) -> usize {
    let mut packages: Vec<String> = tree
        .lines()
        .filter_map(|l| {
            let mut words = l.split_whitespace();
            Some(format!("{} {}", words.next()?, words.next()?))
        })
        .collect();
    packages.sort();
    packages.dedup();
    packages.len()
}

/// The `cold-build-cpu USER SYSTEM` line `/usr/bin/time -f` appends to cargo's output.
fn cpu_time(stderr: &str) -> Option<Duration> {
    let line = stderr.lines().rev().find_map(|l| l.strip_prefix("cold-build-cpu "))?;
    let mut seconds = line.split_whitespace().map(|s| s.parse::<f64>().ok());
    let (user, system) = (seconds.next()??, seconds.next()??);
    Some(Duration::from_secs_f64(user + system))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floor_follows_the_runtime_reqwest() {
        let manifest = "[dependencies]\nserde = \"1\"\nreqwest = { version = \"0.12\", default-features = false }\n";
        let version = reqwest_version(manifest).unwrap();
        assert_eq!(version, "0.12");
        let floor = super::manifest(Program::Floor, Path::new("unused"), &version);
        assert!(floor.contains(
            "reqwest = { version = \"0.12\", default-features = false, features = [\"rustls-tls\", \"json\"] }"
        ));
        assert!(floor.contains("name = \"cold-floor\""));
        let client = super::manifest(Program::Client, Path::new("/ws/generated"), &version);
        assert!(
            client.contains("atlas-streams = { path = '/ws/generated' }\n"),
            "{client}"
        );
        assert!(!client.contains("reqwest"));
    }

    #[test]
    fn counts_distinct_packages() {
        let tree = "cold-client v0.0.0 (/s/cold-client)\natlas-streams v0.1.0 (/w/generated)\nserde v1.0.1\nserde v1.0.1 (*)\nsyn v2.0.1\nsyn v3.0.1\n";
        assert_eq!(distinct_packages(tree), 5);
    }

    #[test]
    fn reads_gnu_time_cpu() {
        let out = "   Compiling x v1\n    Finished `dev` profile\ncold-build-cpu 10.50 1.25\n";
        assert_eq!(cpu_time(out), Some(Duration::from_millis(11_750)));
        assert_eq!(cpu_time("nothing"), None);
    }
}
