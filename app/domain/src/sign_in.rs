//! Signing in without a password: a one-time code sent to the mobile number.
//! The rules that keep codes from being guessed or flooded live here; storage
//! applies them atomically.

use serde::{Deserialize, Serialize};

use crate::digits::normalize_digits;

pub const CODE_LENGTH: usize = 6;
/// A code is good for five minutes.
pub const CODE_TTL_SECONDS: i64 = 300;
/// Tries per code; the sixth is refused even when right.
pub const MAX_ATTEMPTS: i64 = 5;
/// The least time between two codes to one number.
pub const RESEND_INTERVAL_SECONDS: i64 = 60;
/// Most codes to one number in an hour.
pub const MAX_CODES_PER_HOUR: usize = 5;
/// Most codes to one number in 24 hours: without it a stranger could send a
/// victim five codes every hour, day and night.
pub const MAX_CODES_PER_DAY: usize = 10;
/// The window the per-number counts look back over.
pub const CODE_COUNT_WINDOW_SECONDS: i64 = 24 * 3600;

/// The code as typed (any digit script, spaces allowed), or `None` when it is
/// not six digits.
pub fn parse_code(input: &str) -> Option<String> {
    let code: String = normalize_digits(input).chars().filter(|c| !c.is_whitespace()).collect();
    (code.len() == CODE_LENGTH && code.chars().all(|c| c.is_ascii_digit())).then_some(code)
}

/// The outcome of one try.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CodeCheck {
    Accepted,
    Wrong { remaining: i64 },
    Expired,
    TooManyAttempts,
    AlreadyUsed,
}

/// Judges a try of a code. `attempts_before` counts the tries before this one;
/// the order matters: a used, exhausted or expired code is refused whatever was
/// typed, so a right guess after the limit gains nothing.
pub fn check_code(attempts_before: i64, expires_at: i64, consumed: bool, now: i64, code_matches: bool) -> CodeCheck {
    if consumed {
        CodeCheck::AlreadyUsed
    } else if attempts_before >= MAX_ATTEMPTS {
        CodeCheck::TooManyAttempts
    } else if now >= expires_at {
        CodeCheck::Expired
    } else if code_matches {
        CodeCheck::Accepted
    } else {
        CodeCheck::Wrong { remaining: MAX_ATTEMPTS - attempts_before - 1 }
    }
}

/// Why a new code is not sent yet, and how long to wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ResendRefusal {
    TooSoon { wait_seconds: i64 },
    HourlyLimit { wait_seconds: i64 },
    DailyLimit { wait_seconds: i64 },
}

/// Whether another code may go to a number now. `sent_times` are the times
/// codes were sent to it within the last day ([`CODE_COUNT_WINDOW_SECONDS`]).
pub fn may_send_code(now: i64, last_sent_at: Option<i64>, sent_times: &[i64]) -> Result<(), ResendRefusal> {
    let today: Vec<i64> = sent_times.iter().copied().filter(|&t| now - t < CODE_COUNT_WINDOW_SECONDS).collect();
    if today.len() >= MAX_CODES_PER_DAY {
        // The wait until the oldest of the last MAX_CODES_PER_DAY leaves the window.
        let mut sorted = today.clone();
        sorted.sort_unstable();
        let oldest_counted = sorted[sorted.len() - MAX_CODES_PER_DAY];
        return Err(ResendRefusal::DailyLimit {
            wait_seconds: (oldest_counted + CODE_COUNT_WINDOW_SECONDS - now).max(1),
        });
    }
    let recent: Vec<i64> = today.iter().copied().filter(|&t| now - t < 3600).collect();
    if recent.len() >= MAX_CODES_PER_HOUR {
        let oldest = recent.iter().copied().min().unwrap_or(now);
        return Err(ResendRefusal::HourlyLimit { wait_seconds: (oldest + 3600 - now).max(1) });
    }
    if let Some(last) = last_sent_at {
        let since = now - last;
        if since < RESEND_INTERVAL_SECONDS {
            return Err(ResendRefusal::TooSoon { wait_seconds: RESEND_INTERVAL_SECONDS - since });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_read_in_any_digit_script() {
        assert_eq!(parse_code(" 123 456 "), Some("123456".into()));
        assert_eq!(parse_code("١٢٣٤٥٦"), Some("123456".into()));
        assert_eq!(parse_code("12345"), None);
        assert_eq!(parse_code("1234567"), None);
        assert_eq!(parse_code("12a456"), None);
    }

    #[test]
    fn a_right_code_in_time_is_accepted_once() {
        assert_eq!(check_code(0, 1000, false, 999, true), CodeCheck::Accepted);
        assert_eq!(check_code(0, 1000, true, 999, true), CodeCheck::AlreadyUsed);
    }

    #[test]
    fn wrong_tries_count_down_and_the_sixth_is_refused_even_when_right() {
        for before in 0..MAX_ATTEMPTS {
            assert_eq!(
                check_code(before, 1000, false, 10, false),
                CodeCheck::Wrong { remaining: MAX_ATTEMPTS - before - 1 }
            );
        }
        assert_eq!(check_code(MAX_ATTEMPTS - 1, 1000, false, 10, true), CodeCheck::Accepted);
        assert_eq!(check_code(MAX_ATTEMPTS, 1000, false, 10, true), CodeCheck::TooManyAttempts);
    }

    #[test]
    fn an_expired_code_is_refused_even_when_right() {
        assert_eq!(check_code(0, 1000, false, 1000, true), CodeCheck::Expired);
    }

    #[test]
    fn resending_is_throttled_by_interval_and_per_hour() {
        assert_eq!(may_send_code(1000, None, &[]), Ok(()));
        assert_eq!(may_send_code(1000, Some(970), &[970]), Err(ResendRefusal::TooSoon { wait_seconds: 30 }));
        assert_eq!(may_send_code(1000, Some(940), &[940]), Ok(()));
        let five = [100, 300, 500, 700, 900];
        assert_eq!(may_send_code(1000, Some(900), &five), Err(ResendRefusal::HourlyLimit { wait_seconds: 2700 }));
        // An hour after the oldest, one more may go.
        assert_eq!(may_send_code(3700, Some(900), &five), Ok(()));
    }

    #[test]
    fn a_number_gets_at_most_ten_codes_a_day() {
        // Five an hour, two hours running: the eleventh waits for the first to age out.
        let day_start = 100_000;
        let sent: Vec<i64> = (0..10).map(|i| day_start + i * 700).collect();
        let now = day_start + 4 * 3600;
        assert_eq!(
            may_send_code(now, sent.last().copied(), &sent),
            Err(ResendRefusal::DailyLimit { wait_seconds: day_start + CODE_COUNT_WINDOW_SECONDS - now })
        );
        assert_eq!(may_send_code(day_start + CODE_COUNT_WINDOW_SECONDS, sent.last().copied(), &sent), Ok(()));
        assert_eq!(may_send_code(now, sent.last().copied(), &sent[..9]), Ok(()));
    }
}
