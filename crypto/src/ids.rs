//! Random 128-bit identifiers that appear inside signed formats: exams and student sessions.

use crate::error::Result;
use crate::secret::random_array;
use std::fmt;

macro_rules! id128 {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name([u8; 16]);

        crate::fixed::fixed_bytes!($name, 16);

        impl $name {
            /// A fresh random id.
            pub fn generate() -> Result<Self> {
                Ok(Self(random_array()?))
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.to_hex())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.to_hex())
            }
        }
    };
}

id128!(
    /// Identifies one exam (one assembled test with its forms).
    ExamId
);
id128!(
    /// Identifies one student's exam session (one login, continued across reconnects).
    SessionId
);
