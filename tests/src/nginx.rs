//! nginx on a loopback port, as the TLS reverse proxy of the seed use case. Each instance
//! has its own prefix directory and is stopped (killed and reaped) when dropped.

use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running nginx.
pub struct Nginx {
    child: Child,
    /// The loopback port it listens on with TLS.
    pub port: u16,
    /// Its prefix directory (config, logs, and — with [`Nginx::start_copying`] — the
    /// certificate and key files it serves).
    pub dir: PathBuf,
    /// Owns the prefix directory: removed after nginx is stopped.
    _scratch: Option<crate::TempDir>,
}

/// Panics unless nginx is installed: a test that needs nginx fails without it, it never
/// passes without running (`.ci/run` installs `nginx-light`; `apt-get install nginx-light`
/// locally).
pub fn require() {
    let found = Command::new("nginx")
        .arg("-v")
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        found,
        "this test needs nginx, which is not installed (apt-get install nginx-light; .ci/run installs it)"
    );
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

impl Nginx {
    /// Starts nginx serving `cert` (the `ssl_certificate` file: leaf, then intermediates)
    /// and `key` on a free loopback port, as a reverse proxy in front of a tiny upstream
    /// that answers every request with `ok`.
    pub fn start(cert: &Path, key: &Path) -> std::io::Result<Nginx> {
        Self::start_with(cert, key, "")
    }

    /// [`Nginx::start`] with extra directives in the TLS `server` block
    /// (`ssl_password_file …;`).
    pub fn start_with(cert: &Path, key: &Path, extra: &str) -> std::io::Result<Nginx> {
        Self::start_in(crate::TempDir::new("nginx"), cert, key, extra)
    }

    /// Like [`Nginx::start`], but copies the files into the prefix as `cert.pem` and
    /// `key.pem` first, so a test can later replace them on disk without nginx noticing
    /// (it reads them only at start and reload).
    pub fn start_copying(cert: &Path, key: &Path) -> std::io::Result<Nginx> {
        let dir = crate::TempDir::new("nginx");
        let (c, k) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
        std::fs::copy(cert, &c)?;
        std::fs::copy(key, &k)?;
        Self::start_in(dir, &c, &k, "")
    }

    /// Starts nginx, retrying with other ports when a port picked as free was taken in the
    /// meantime (at most three attempts). Configuration errors are returned at once.
    fn start_in(
        prefix: crate::TempDir,
        cert: &Path,
        key: &Path,
        extra: &str,
    ) -> std::io::Result<Nginx> {
        let mut last = None;
        for _ in 0..3 {
            match Self::start_once(prefix.path().to_owned(), cert, key, extra) {
                Ok(mut nginx) => {
                    nginx._scratch = Some(prefix);
                    return Ok(nginx);
                }
                Err(e) if e.to_string().contains("Address already in use") => last = Some(e),
                Err(e) => return Err(e),
            }
        }
        Err(last.unwrap_or_else(|| std::io::Error::other("nginx did not start")))
    }

    fn start_once(dir: PathBuf, cert: &Path, key: &Path, extra: &str) -> std::io::Result<Nginx> {
        let port = free_port();
        let upstream = free_port();
        let conf = format!(
            r#"daemon off;
master_process off;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {dir}/client_body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    server {{
        listen 127.0.0.1:{upstream};
        location / {{ return 200 "ok\n"; }}
    }}
    server {{
        listen 127.0.0.1:{port} ssl;
        listen [::1]:{port} ssl;
        server_name _;
        ssl_certificate {cert};
        ssl_certificate_key {key};
        {extra}
        location / {{ proxy_pass http://127.0.0.1:{upstream}; }}
    }}
}}
"#,
            dir = dir.display(),
            cert = cert.display(),
            key = key.display(),
        );
        let conf_path = dir.join("nginx.conf");
        std::fs::File::create(&conf_path)?.write_all(conf.as_bytes())?;
        let child = Command::new("nginx")
            .arg("-p")
            .arg(&dir)
            .arg("-c")
            .arg(&conf_path)
            .arg("-e")
            .arg(dir.join("error.log"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        let mut nginx = Nginx {
            child,
            port,
            dir,
            _scratch: None,
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Ok(nginx);
            }
            if let Some(status) = nginx.child.try_wait()? {
                let log = std::fs::read_to_string(nginx.dir.join("error.log")).unwrap_or_default();
                return Err(std::io::Error::other(format!(
                    "nginx exited with {status}: {log}"
                )));
            }
            if Instant::now() > deadline {
                return Err(std::io::Error::other("nginx did not listen within 10 s"));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// `127.0.0.1:PORT`.
    pub fn addr(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        // The prefix directory goes with `_scratch`, after this.
    }
}
