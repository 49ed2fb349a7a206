//! A moto server on loopback for the tests: started on a free port, seeded, killed on drop.
//! Plain std: the CLI's tests include this file too.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const ACCOUNT: &str = "123456789012";

/// The script that seeds the account (boto3 against the server).
const SEED_SCRIPT: &str = include_str!("../moto_seed.py");

/// The script that seeds buckets, trails and users for the log validation tests.
const LOGS_SCRIPT: &str = include_str!("../moto_logs.py");
/// The script that seeds an organization and turns on moto's IAM authentication.
const SEED_ORG_SCRIPT: &str = include_str!("../moto_seed_org.py");

/// A running `moto_server`.
pub struct Moto {
    child: Child,
    pub endpoint: String,
}

fn find_on_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|p| p.is_file())
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port on 127.0.0.1");
    listener.local_addr().expect("local address").port()
}

/// True when an HTTP GET of `path` gets any HTTP answer.
fn answers(port: u16, path: &str) -> bool {
    let Ok(mut s) =
        TcpStream::connect_timeout(&([127, 0, 0, 1], port).into(), Duration::from_millis(200))
    else {
        return false;
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
    let req = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    if s.write_all(req.as_bytes()).is_err() {
        return false;
    }
    let mut buf = [0u8; 16];
    matches!(s.read(&mut buf), Ok(n) if n >= 8 && buf.starts_with(b"HTTP/1."))
}

impl Moto {
    /// Starts `moto_server -H 127.0.0.1 -p PORT` and waits until it answers. Panics (fails the
    /// test) when moto is not installed.
    pub fn start() -> Moto {
        let program = find_on_path("moto_server").unwrap_or_else(|| {
            panic!(
                "moto_server is not installed: these tests need moto's server on PATH. \
                 Run `pip install 'moto[server]'` (or `scripts/install-test-deps`)."
            )
        });
        for _ in 0..3 {
            let port = free_port();
            let child = Command::new(&program)
                .args(["-H", "127.0.0.1", "-p", &port.to_string()])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap_or_else(|e| panic!("cannot start {}: {e}", program.display()));
            let mut moto = Moto {
                child,
                endpoint: format!("http://127.0.0.1:{port}"),
            };
            let deadline = Instant::now() + Duration::from_secs(60);
            while Instant::now() < deadline {
                if answers(port, "/moto-api/") {
                    return moto;
                }
                if let Ok(Some(_)) = moto.child.try_wait() {
                    break; // it died (the port was taken?): try another port
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            let _ = moto.child.kill();
        }
        panic!("moto_server did not start answering on 127.0.0.1");
    }

    /// Seeds the test account (tests/moto_seed.py, with boto3) and returns what it printed.
    pub fn seed(&self) -> serde_json::Value {
        let out = Command::new("python3")
            .args(["-c", SEED_SCRIPT, &self.endpoint])
            .output()
            .unwrap_or_else(|e| {
                panic!("cannot run python3: {e}; run `pip install 'moto[server]'`")
            });
        assert!(
            out.status.success(),
            "seeding moto failed: {}\n(run `pip install 'moto[server]'`, which brings boto3)",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("the seed script prints JSON")
    }
}

impl Moto {
    /// Runs a command of tests/moto_logs.py (create-bucket, upload, put-plain, delete,
    /// create-trail, create-user, enable-auth) and returns what it printed.
    pub fn logs(&self, args: &[&str]) -> serde_json::Value {
        let out = Command::new("python3")
            .args(["-c", LOGS_SCRIPT, &self.endpoint])
            .args(args)
            .output()
            .unwrap_or_else(|e| {
                panic!("cannot run python3: {e}; run `pip install 'moto[server]'`")
            });
        assert!(
            out.status.success(),
            "moto_logs.py {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("moto_logs.py prints JSON")
    }

    /// Seeds an organization with `members` member accounts (tests/moto_seed_org.py) and turns
    /// on IAM authentication: from then on only the printed `auditor` keys work, and they may not
    /// assume the role of the last member (`refused`).
    pub fn seed_organization(&self, members: usize) -> serde_json::Value {
        let out = Command::new("python3")
            .args(["-c", SEED_ORG_SCRIPT, &self.endpoint, &members.to_string()])
            .output()
            .unwrap_or_else(|e| panic!("cannot run python3: {e}"));
        assert!(
            out.status.success(),
            "seeding the organization failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("the seed script prints JSON")
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
