//! The input methods a student can type with: Telex, VNI, or none.
//!
//! The type lives here, not next to the client's composer, because it crosses the wire: the
//! proctor chooses the room's default (`proctor serve --typing`) and the [`crate::Admission`]
//! carries it to every lab PC. The client's `ime` module re-exports it and does the typing.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The input method a text field uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum InputMethod {
    /// No transformation: every key is typed as it is (for English, code, or answers in other
    /// languages).
    Off,
    /// Telex: letters modify the word (`tieengs vieetj` → `tiếng việt`). The default, since it
    /// is what most students type.
    #[default]
    Telex,
    /// VNI: digits modify the word (`tie6ng1 vie6t5` → `tiếng việt`).
    Vni,
}

impl InputMethod {
    /// Every method, in the order a settings menu lists them.
    pub const ALL: [InputMethod; 3] = [InputMethod::Telex, InputMethod::Vni, InputMethod::Off];

    /// The name used in settings files and accepted by [`str::parse`]: `telex`, `vni` or `off`.
    pub fn as_str(self) -> &'static str {
        match self {
            InputMethod::Off => "off",
            InputMethod::Telex => "telex",
            InputMethod::Vni => "vni",
        }
    }
}

impl fmt::Display for InputMethod {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}

/// A name that is not `telex`, `vni` or `off`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "Kiểu gõ không hợp lệ: «{0}» (chọn telex, vni hoặc off) / Unknown input method: «{0}» (choose telex, vni or off)"
)]
pub struct UnknownInputMethod(pub String);

impl FromStr for InputMethod {
    type Err = UnknownInputMethod;

    /// Parses `telex`, `vni` or `off`, ignoring case and surrounding spaces.
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        let wanted = name.trim();
        InputMethod::ALL
            .into_iter()
            .find(|method| method.as_str().eq_ignore_ascii_case(wanted))
            .ok_or_else(|| UnknownInputMethod(name.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::InputMethod::{self, Off, Telex, Vni};

    #[test]
    fn method_names_parse_and_print() {
        for (name, expected) in
            [("telex", Telex), ("vni", Vni), ("off", Off), (" Telex ", Telex), ("VNI", Vni), ("OFF", Off)]
        {
            assert_eq!(name.parse::<InputMethod>(), Ok(expected), "{name:?}");
        }
        for method in InputMethod::ALL {
            assert_eq!(method.to_string().parse::<InputMethod>(), Ok(method));
        }
        let error = "unikey".parse::<InputMethod>().unwrap_err();
        assert_eq!(
            error.to_string(),
            "Kiểu gõ không hợp lệ: «unikey» (chọn telex, vni hoặc off) / Unknown input method: «unikey» (choose telex, vni or off)"
        );
        assert!("".parse::<InputMethod>().is_err());
        assert_eq!(InputMethod::default(), Telex);
    }
}
