//! `awn-load`: the load `bench/run` puts on a running Awn, over HTTP, as browsers
//! do (the same server functions and pages, the same cross-site header).
//!
//! ```text
//! awn-load views  --base URL --staff USER:PASS --figures USER:PASS --requests N
//! awn-load submit --base URL [--workers 64] [--seconds 10] [--acknowledged FILE]
//! ```
//!
//! `views` times staff pages one after another (server-rendered, so a page's
//! time is its data's time too) and prints p50/p95/max. `submit` signs in one
//! beneficiary per worker (the code is read from the development outbox, so the
//! server runs with `AWN_ENVIRONMENT=development`) and has every worker submit
//! whole support requests until the time is up; each acknowledged reference is
//! written to the file at once, so the bench can check them after a crash.

use std::{
    io::Write,
    path::PathBuf,
    time::{Duration, Instant},
};

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "awn-load", about = "Load for Awn's bench/run")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Time the staff views (queue with filters and search, case page,
    /// beneficiary file, reports, satisfaction) on a database of N requests.
    Views {
        #[arg(long)]
        base: String,
        /// A casework account (queue, case page, beneficiary file): USER:PASS.
        #[arg(long)]
        staff: String,
        /// An account that reads the reports and satisfaction figures: USER:PASS.
        #[arg(long)]
        figures: String,
        /// How many requests (and beneficiaries) the database holds: pages of
        /// ids spread over 1..=N are asked for.
        #[arg(long)]
        requests: u64,
        #[arg(long, default_value_t = 40)]
        samples: usize,
        /// The privacy policy version staff accept before the workspace opens.
        #[arg(long, default_value = "1.0")]
        policy_version: String,
    },
    /// Submit whole support requests from concurrent signed-in beneficiaries.
    Submit {
        #[arg(long)]
        base: String,
        #[arg(long, default_value_t = 64)]
        workers: u64,
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        /// Where each acknowledged reference is written (a line each, flushed).
        #[arg(long)]
        acknowledged: Option<PathBuf>,
        /// Distinguishes the national IDs of one run from another's.
        #[arg(long, default_value_t = 0)]
        run: u64,
    },
}

type Failure = String;

/// A browser: its own cookies, the site's Origin on every request.
struct Browser {
    client: reqwest::Client,
    base: String,
}

impl Browser {
    fn new(base: &str) -> Result<Self, Failure> {
        let mut headers = reqwest::header::HeaderMap::new();
        let origin = reqwest::header::HeaderValue::from_str(base).map_err(|e| format!("--base: {e}"))?;
        headers.insert(reqwest::header::ORIGIN, origin);
        let client = reqwest::Client::builder()
            .default_headers(headers)
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(60))
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Browser { client, base: base.trim_end_matches('/').to_owned() })
    }

    /// A server function, called as the hydrated app calls it.
    async fn call(&self, endpoint: &str, args: &[(&str, &str)]) -> Result<(u16, String), Failure> {
        let body: String = form_urlencoded::Serializer::new(String::new()).extend_pairs(args).finish();
        let response = self
            .client
            .post(format!("{}/api/{endpoint}", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .map_err(|e| format!("{endpoint}: {e}"))?;
        let status = response.status().as_u16();
        Ok((status, response.text().await.map_err(|e| format!("{endpoint}: {e}"))?))
    }

    async fn page(&self, path: &str) -> Result<(u16, String), Failure> {
        let response = self
            .client
            .get(format!("{}{path}", self.base))
            .header("accept", "text/html")
            .send()
            .await
            .map_err(|e| format!("{path}: {e}"))?;
        let status = response.status().as_u16();
        Ok((status, response.text().await.map_err(|e| format!("{path}: {e}"))?))
    }
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let outcome = match Cli::parse().command {
        Command::Views { base, staff, figures, requests, samples, policy_version } => {
            views(&base, &staff, &figures, requests, samples, &policy_version).await
        }
        Command::Submit { base, workers, seconds, acknowledged, run } => {
            submit(&base, workers, Duration::from_secs(seconds), acknowledged, run).await
        }
    };
    match outcome {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("awn-load: {failure}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn staff_browser(base: &str, credentials: &str, policy_version: &str) -> Result<Browser, Failure> {
    let (username, password) = credentials.split_once(':').ok_or("staff credentials are USER:PASS")?;
    let browser = Browser::new(base)?;
    let (status, body) = browser.call("staff/sign_in", &[("username", username), ("password", password)]).await?;
    if (status, body.as_str()) != (200, "null") {
        return Err(format!("{username} did not sign in: {status} {body}"));
    }
    let (status, body) = browser.call("staff/accept_policy", &[("version", policy_version)]).await?;
    if status != 200 {
        return Err(format!("{username} could not accept the policy: {status} {body}"));
    }
    Ok(browser)
}

fn percentile(sorted: &[Duration], fraction: f64) -> f64 {
    let index = ((sorted.len() as f64 * fraction).ceil() as usize).clamp(1, sorted.len().max(1)) - 1;
    sorted.get(index).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

async fn views(
    base: &str,
    staff: &str,
    figures: &str,
    requests: u64,
    samples: usize,
    policy_version: &str,
) -> Result<(), Failure> {
    let casework = staff_browser(base, staff, policy_version).await?;
    let reader = staff_browser(base, figures, policy_version).await?;
    let spread: Vec<u64> = (0..samples as u64).map(|k| 1 + (k * 7919 + 13) % requests.max(1)).collect();
    let searches = ["الشهري", "محمد القحطاني", "فاطمه", "ابراهيم صالح", "awn-2025"];
    let encode = |q: &str| form_urlencoded::byte_serialize(q.as_bytes()).collect::<String>();
    // (name, browser, pages asked in turn, text the answer must hold)
    let views: Vec<(&str, &Browser, Vec<String>, &str)> = vec![
        ("queue, first page", &casework, vec!["/staff".into()], "AWN-"),
        ("queue, status + kind", &casework, vec!["/staff?status=submitted&kind=rent".into()], "AWN-"),
        ("queue, overdue", &casework, vec!["/staff?overdue=1".into()], "<main"),
        (
            "queue, Arabic search",
            &casework,
            searches.iter().map(|q| format!("/staff?q={}", encode(q))).collect(),
            "AWN-",
        ),
        ("queue, page 200", &casework, vec!["/staff?page=200".into()], "AWN-"),
        ("case page", &casework, spread.iter().map(|id| format!("/staff/requests/{id}")).collect(), "AWN-"),
        ("beneficiary file", &casework, spread.iter().map(|id| format!("/staff/beneficiaries/{id}")).collect(), "AWN-"),
        ("reports", &reader, vec!["/staff/reports".into()], "<main"),
        ("satisfaction", &reader, vec!["/staff/satisfaction".into()], "<main"),
    ];
    println!("  {:<24} {:>8} {:>8} {:>8}  (ms, {samples} sequential requests each)", "view", "p50", "p95", "max");
    for (name, browser, pages, expected) in views {
        for page in pages.iter().take(3) {
            browser.page(page).await?;
        }
        let mut times = Vec::with_capacity(samples);
        for k in 0..samples {
            let page = &pages[k % pages.len()];
            let started = Instant::now();
            let (status, body) = browser.page(page).await?;
            times.push(started.elapsed());
            if status != 200 || !body.contains(expected) {
                return Err(format!("{page}: {status}, not the view (no `{expected}` in the answer)"));
            }
        }
        times.sort();
        println!(
            "  {name:<24} {:>8.1} {:>8.1} {:>8.1}",
            percentile(&times, 0.5),
            percentile(&times, 0.95),
            percentile(&times, 1.0)
        );
    }
    Ok(())
}

/// A valid national ID from nine digits (the domain's check digit).
fn national_id(first_nine: &str) -> String {
    awn_domain::identity::NationalId::completing(first_nine)
        .map_or_else(|| first_nine.to_owned(), |id| id.as_str().to_owned())
}

/// Signs in the holder of `mobile` (05…) with the code from the development outbox.
async fn beneficiary_browser(base: &str, mobile: &str) -> Result<Browser, Failure> {
    let browser = Browser::new(base)?;
    let (status, body) = browser.call("sign_in/request_code", &[("mobile", mobile)]).await?;
    if status != 200 {
        return Err(format!("a code for {mobile}: {status} {body}"));
    }
    let (_, outbox) = browser.page("/dev/outbox").await?;
    let row = format!("data-recipient=\"+966{}\" data-purpose=\"sign_in_code\"", &mobile[1..]);
    let after =
        outbox.find(&row).map(|at| &outbox[at..]).ok_or("no code in /dev/outbox: AWN_ENVIRONMENT=development?")?;
    let body = after.split("class=\"body\">").nth(1).unwrap_or_default();
    let code: String = body
        .split(|c: char| !c.is_ascii_digit())
        .find(|run| run.len() == 6)
        .ok_or("a sign-in message without a code")?
        .to_owned();
    let (status, body) = browser.call("sign_in/verify_code", &[("code", &code)]).await?;
    if (status, body.as_str()) != (200, "null") {
        return Err(format!("{mobile} did not sign in: {status} {body}"));
    }
    Ok(browser)
}

/// Walks the wizard with valid data and submits; the reference acknowledged.
async fn submit_request(browser: &Browser, id: &str, mobile: &str) -> Result<String, Failure> {
    let steps: [(&str, Vec<(&str, &str)>); 4] = [
        (
            "applicant",
            vec![
                ("full_name", "محمد عبدالله سعيد القحطاني"),
                ("national_id", id),
                ("birth_date", "1985-03-14"),
                ("mobile", mobile),
                ("city", "الرهاة"),
                ("district", "الحي الشمالي"),
            ],
        ),
        ("household", vec![("household_members", "6"), ("monthly_income", "3000"), ("housing", "rented")]),
        ("support", vec![("support_kind", "food_basket"), ("description", "نحتاج إلى سلة غذائية شهرية للأسرة.")]),
        ("documents", vec![]),
    ];
    for (step, fields) in steps {
        let mut args = vec![("step", step), ("go", "next")];
        args.extend(fields);
        let (status, body) = browser.call("requests/save_step", &args).await?;
        if status != 200 || !body.contains("\"errors\":[]") {
            return Err(format!("step {step}: {status} {body}"));
        }
    }
    let declaration = [
        ("step", "declaration"),
        ("go", "submit"),
        ("declaration_accepted", "on"),
        ("signature", "محمد عبدالله سعيد القحطاني"),
        ("consent_sms", "on"),
    ];
    let (status, body) = browser.call("requests/save_step", &declaration).await?;
    let answer: serde_json::Value = serde_json::from_str(&body).map_err(|e| format!("submit: {status} {e}: {body}"))?;
    answer["Submitted"]["reference"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| format!("submit: {status} {body} (AWN_SUBMISSIONS_PER_DAY=0 and AWN_LIMIT_FORMS_PER_HOUR=0?)"))
}

async fn submit(
    base: &str,
    workers: u64,
    duration: Duration,
    acknowledged: Option<PathBuf>,
    run: u64,
) -> Result<(), Failure> {
    let mut browsers = Vec::new();
    for worker in 0..workers {
        let mobile = format!("058{:07}", run * 1000 + worker);
        browsers.push((beneficiary_browser(base, &mobile).await?, mobile));
    }
    let file = match &acknowledged {
        Some(path) => Some(std::fs::File::create(path).map_err(|e| format!("{}: {e}", path.display()))?),
        None => None,
    };
    let file = std::sync::Arc::new(std::sync::Mutex::new(file));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (worker, (browser, mobile)) in browsers.into_iter().enumerate() {
        let file = file.clone();
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::new();
            let mut failure = None;
            let mut iteration = 0u64;
            while started.elapsed() < duration {
                let id = national_id(&format!("2{:02}{:03}{:03}", run % 100, worker, iteration % 1000));
                let began = Instant::now();
                match submit_request(&browser, &id, &mobile).await {
                    Ok(reference) => {
                        times.push(began.elapsed());
                        if let Ok(mut guard) = file.lock()
                            && let Some(file) = guard.as_mut()
                        {
                            let _ = writeln!(file, "{reference}").and_then(|()| file.flush());
                        }
                    }
                    Err(e) => {
                        failure = Some(e);
                        break;
                    }
                }
                iteration += 1;
            }
            (times, failure)
        }));
    }
    let mut times = Vec::new();
    let mut failures = Vec::new();
    for task in tasks {
        let (worker_times, failure) = task.await.map_err(|e| e.to_string())?;
        times.extend(worker_times);
        failures.extend(failure);
    }
    let elapsed = started.elapsed().as_secs_f64();
    times.sort();
    println!(
        "  {} submissions acknowledged in {elapsed:.1} s by {workers} beneficiaries: {:.1} per second; \
         one whole submission (5 calls) p50 {:.0} ms, p95 {:.0} ms",
        times.len(),
        times.len() as f64 / elapsed,
        percentile(&times, 0.5),
        percentile(&times, 0.95)
    );
    if let Some(first) = failures.first() {
        println!("  {} workers stopped early; the first: {first}", failures.len());
    }
    Ok(())
}
