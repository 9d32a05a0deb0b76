//! Typed ids: the row id of each kind of record, so that a staff id cannot be
//! passed where a request id is meant. Each is the bare number on the wire and
//! in the database (`#[serde(transparent)]`), shown and parsed as that number.

use std::fmt;
use std::num::ParseIntError;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Declares id newtypes over `i64` with `new`, `get`, `Display` and `FromStr`.
macro_rules! id_types {
    ($($(#[$meta:meta])* $name:ident;)+) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(i64);

        impl $name {
            pub const fn new(id: i64) -> Self {
                $name(id)
            }

            /// The row id, as stored.
            pub const fn get(self) -> i64 {
                self.0
            }
        }

        /// The bare number.
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        /// Reads the bare number, as `i64` does (no spaces, Western digits).
        impl FromStr for $name {
            type Err = ParseIntError;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                text.parse().map($name)
            }
        }
    )+};
}

id_types! {
    /// A support request.
    RequestId;
    /// A beneficiary's file.
    BeneficiaryId;
    /// A staff member's account.
    StaffId;
    /// An uploaded document.
    DocumentId;
    /// An inquiry (A6).
    InquiryId;
    /// A complaint or objection (A2).
    ComplaintId;
    /// A satisfaction survey.
    SurveyId;
    /// An invitation to answer a survey.
    InvitationId;
    /// A beneficiary's sign-in account.
    AccountId;
    /// A member of a request's household (issue 15).
    MemberId;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_its_number() {
        let id = RequestId::new(42);
        assert_eq!(id.get(), 42);
        assert_eq!(id.to_string(), "42");
        assert_eq!("42".parse::<RequestId>(), Ok(id));
        assert_eq!("-7".parse::<StaffId>().map(StaffId::get), Ok(-7));
        for bad in ["", " 42", "4 2", "٤٢", "x", "99999999999999999999"] {
            assert!(bad.parse::<RequestId>().is_err(), "{bad:?}");
        }
        assert!(RequestId::new(1) < RequestId::new(2));
        assert_eq!(format!("{:>4}", DocumentId::new(7)), "   7", "formatting options pass through");
    }

    #[test]
    fn every_id_is_a_bare_number_in_json() {
        fn round_trip<T: Serialize + for<'de> Deserialize<'de> + PartialEq + fmt::Debug>(id: T, json: &str) {
            assert_eq!(serde_json::to_string(&id).ok().as_deref(), Some(json));
            assert_eq!(serde_json::from_str::<T>(json).ok(), Some(id));
        }
        round_trip(RequestId::new(42), "42");
        round_trip(BeneficiaryId::new(1), "1");
        round_trip(StaffId::new(2), "2");
        round_trip(DocumentId::new(3), "3");
        round_trip(InquiryId::new(4), "4");
        round_trip(ComplaintId::new(5), "5");
        round_trip(SurveyId::new(6), "6");
        round_trip(InvitationId::new(7), "7");
        round_trip(AccountId::new(9_007_199_254_740_993), "9007199254740993");
        assert!(serde_json::from_str::<RequestId>("\"42\"").is_err());
        assert!(serde_json::from_str::<RequestId>("{\"0\":42}").is_err());
    }
}
