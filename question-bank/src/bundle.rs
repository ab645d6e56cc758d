//! The `.exam` file: an [`Exam`] sealed for the trip from the teacher's machine to the proctor.
//!
//! The content is JSON (`{"format":2,"exam_id":…,"created_ms":…,"exam":{…},"statements":{…}}`)
//! sealed with
//! `phongthi_crypto::seal_bundle`: encrypted under the teacher's passphrase and signed with the
//! teacher's key, so the USB stick that carries it leaks nothing and a changed byte is refused.
//! JSON rather than postcard because the item model uses internally tagged enums, which only
//! self-describing formats can read back; the bundle is opened once per exam, so size and speed
//! do not matter here.
//!
//! Format 2 adds `statements`: per item (by its bank number), the signed author statements and
//! approvals the bank holds, each as the base64 of its signed bytes ([`crate::approval`] checks
//! them). A format-1 file, written before approvals were carried, is still read: it has no
//! statements, so every item counts as not approved and a proctor accepts it only as a
//! practice test.

use crate::approval::Statements;
use crate::exam::Exam;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use phongthi_crypto::{ExamId, KdfParams, Passphrase, PublicKey, SigningKey, TrustedTeachers};
use phongthi_items::ItemId;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The content version this build writes; it reads this one and [`FIRST_FORMAT`].
const FORMAT: u32 = 2;

/// The content version before approvals were carried.
const FIRST_FORMAT: u32 = 1;

/// An exam with its identity, as carried in a `.exam` file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExamBundle {
    /// Random id given at assembly; receipts and results name it.
    pub exam_id: ExamId,
    /// When it was assembled, ms since the Unix epoch.
    pub created_ms: u64,
    /// The test, its forms and keys.
    pub exam: Exam,
    /// The items' signed author statements and approvals.
    pub statements: Statements,
}

/// An opened `.exam` file and who signed it.
#[derive(Debug)]
pub struct OpenedExam {
    /// The content.
    pub bundle: ExamBundle,
    /// The teacher key that signed it.
    pub teacher: PublicKey,
}

#[derive(Serialize, Deserialize)]
struct Content {
    format: u32,
    exam_id: String,
    created_ms: u64,
    exam: Exam,
    /// Base64 of each statement; absent in format 1.
    #[serde(default)]
    statements: BTreeMap<ItemId, Vec<String>>,
}

/// Why a `.exam` file could not be written or read.
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    /// Sealing, signature, passphrase or structure problems of the sealed file.
    #[error(transparent)]
    Crypto(#[from] phongthi_crypto::Error),
    /// The decrypted content is not an exam this build understands.
    #[error("nội dung tệp đề thi không hợp lệ / the exam file's content is invalid: {0}")]
    Content(String),
    /// Written by a newer version.
    #[error(
        "tệp đề thi định dạng {found}, bản này đọc định dạng {FIRST_FORMAT} và {FORMAT} / exam file format {found}, \
         this build reads formats {FIRST_FORMAT} and {FORMAT}"
    )]
    Format {
        /// The content format found.
        found: u32,
    },
}

impl ExamBundle {
    /// Seals and signs.
    pub fn seal(
        &self,
        teacher: &SigningKey,
        passphrase: &Passphrase,
        params: KdfParams,
    ) -> Result<Vec<u8>, BundleError> {
        let content = Content {
            format: FORMAT,
            exam_id: self.exam_id.to_hex(),
            created_ms: self.created_ms,
            exam: self.exam.clone(),
            statements: self
                .statements
                .iter()
                .map(|(id, list)| (*id, list.iter().map(|bytes| STANDARD.encode(bytes)).collect()))
                .collect(),
        };
        let json = serde_json::to_vec(&content).map_err(|e| BundleError::Content(e.to_string()))?;
        Ok(phongthi_crypto::seal_bundle(teacher, passphrase, params, &json)?)
    }

    /// Checks the signature (and trust), decrypts, and reads the exam; the exam's own consistency
    /// checks run while it is read.
    pub fn open(
        bytes: &[u8],
        passphrase: &Passphrase,
        trusted: TrustedTeachers<'_>,
    ) -> Result<OpenedExam, BundleError> {
        let opened = phongthi_crypto::open_bundle(bytes, passphrase, trusted)?;
        #[derive(Deserialize)]
        struct Version {
            format: u32,
        }
        let version: Version =
            serde_json::from_slice(&opened.content).map_err(|e| BundleError::Content(e.to_string()))?;
        if version.format != FORMAT && version.format != FIRST_FORMAT {
            return Err(BundleError::Format { found: version.format });
        }
        let content: Content =
            serde_json::from_slice(&opened.content).map_err(|e| BundleError::Content(e.to_string()))?;
        let exam_id = ExamId::from_hex(&content.exam_id)
            .ok_or_else(|| BundleError::Content(format!("exam_id {:?}", content.exam_id)))?;
        let mut statements = Statements::new();
        for (id, list) in content.statements {
            let decoded = list
                .iter()
                .map(|text| STANDARD.decode(text))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| BundleError::Content(format!("statements {id}: {e}")))?;
            statements.insert(id, decoded);
        }
        Ok(OpenedExam {
            bundle: ExamBundle { exam_id, created_ms: content.created_ms, exam: content.exam, statements },
            teacher: opened.teacher,
        })
    }
}
