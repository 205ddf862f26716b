// The hidden fixture of this crate's doc tests (neither a module of the library nor a test target).
// A doc test includes it as its first hidden line, as an expression, and writes its visible code
// in the async closure that `run` calls with a simulator, a client logged in to it (lazily, as
// always) and a valid backup request:
//
//     /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/doc/fixture.rs")).run(async |sim, client, request| {
//     /// let job = client.start_backup(&request).await?;
//     /// # Ok(()) })
//
// Before `run`: `.paused()` runs the test on tokio's paused clock (for waits), `.job_secs(n)`
// makes backups take n seconds, `.history(n)` gives the appliance n finished jobs, `.tls()`
// serves HTTPS (the client does not trust it: pin `sim.thumbprint()`), `.archive(..)` puts a
// scheduled backup in the catalog. `.run_fleet(n, async |inventory| ..)` starts n simulators
// instead and passes their URLs, their password in `$VCSA_PASSWORD`.
//
// It is one block expression (not items) because rustdoc wraps a doc test without a `main` in
// `fn main() { .. }`, where `include!` can only expand to an expression. The test is an async
// closure, not a closure returning `async move { .. }`: an async closure keeps every argument
// alive until it ends, where an `async move` block would drop an unused `sim` at once (and the
// simulator with it). A doc test that does not compile makes rustdoc compile every doc test
// of the crate on its own (minutes instead of seconds).
{
    use std::error::Error;
    use std::time::Duration;

    use vcsa_backup::{BackupRequest, Client, Secret};
    use vcsa_backup_sim::{
        ArchiveSeed, DEFAULT_PASSWORD, DEFAULT_USER, RunningSimulator, Simulator,
        SimulatorBuilder,
    };

    type DocResult = Result<(), Box<dyn Error>>;

    struct DocFixture {
        sim: SimulatorBuilder,
        paused: bool,
        archives: Vec<ArchiveSeed>,
    }

    impl DocFixture {
        /// Runs on tokio's paused clock: sleeps end at once when nothing else is to do.
        fn paused(mut self) -> Self {
            self.paused = true;
            self
        }

        /// Backups take `secs` seconds (30 by default).
        fn job_secs(mut self, secs: u64) -> Self {
            self.sim = self.sim.job_duration(Duration::from_secs(secs));
            self
        }

        /// The appliance starts with `jobs` finished backups.
        fn history(mut self, jobs: usize) -> Self {
            self.sim = self.sim.history(jobs);
            self
        }

        /// HTTPS with a self-signed certificate; the fixture's client does not trust it.
        fn tls(mut self) -> Self {
            self.sim = self.sim.tls(true);
            self
        }

        /// A scheduled backup of `system_name` at `location` (the catalog's root), started on
        /// 2024-05-31 at 23:00 UTC.
        fn archive(mut self, location: &str, system_name: &str) -> Self {
            self.archives.push(ArchiveSeed {
                location: location.into(),
                system_name: system_name.into(),
                timestamp: "2024-05-31T23:00:00Z".parse().expect("a time"),
                scheduled: true,
                ..Default::default()
            });
            self
        }

        fn block_on(&self, test: impl Future<Output = DocResult>) {
            let mut runtime = tokio::runtime::Builder::new_current_thread();
            runtime.enable_all().start_paused(self.paused);
            let outcome = runtime.build().expect("a tokio runtime").block_on(test);
            if let Err(e) = outcome {
                panic!("the doc test failed: {e}");
            }
        }

        /// Starts the simulator and runs `test` with it, a client for it and a backup request.
        fn run(
            self,
            test: impl AsyncFnOnce(RunningSimulator, Client, BackupRequest) -> DocResult,
        ) {
            self.block_on(async {
                let sim = self.sim.clone().start().await?;
                for seed in &self.archives {
                    sim.control().seed_archive(seed.clone())?;
                }
                let client = Client::builder(sim.url())
                    .credentials(DEFAULT_USER, Secret::new(DEFAULT_PASSWORD))
                    .build()?;
                let request = BackupRequest::builder()
                    .location("sftp://nas.example.com/backups/vcsa")
                    .location_credentials("backup", Secret::new("Nas-Pa55word!"))
                    .build()?;
                test(sim, client, request).await
            });
        }

        /// Starts `count` simulators and runs `test` with their URLs, their password in
        /// `$VCSA_PASSWORD`.
        fn run_fleet(self, count: usize, test: impl AsyncFnOnce(Vec<String>) -> DocResult) {
            self.block_on(async {
                // SAFETY: each doc test is a process of its own, and this one has a single
                // thread yet (the runtime runs on the current one).
                unsafe { std::env::set_var("VCSA_PASSWORD", DEFAULT_PASSWORD) };
                let fleet = Simulator::fleet(count)
                    .template(self.sim.clone())
                    .start()
                    .await?;
                let servers = fleet.appliances().iter().map(|a| a.url().to_string()).collect();
                test(servers).await
            });
        }
    }

    DocFixture {
        sim: Simulator::builder().tls(false),
        paused: false,
        archives: Vec::new(),
    }
}
