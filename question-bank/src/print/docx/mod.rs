//! Printed papers as Word documents (`.docx`), for schools that edit, merge or archive their
//! papers in Word or LibreOffice: each form (mã đề) laid out like the PDF booklet, with
//! formulas as real Word equations and pictures embedded, and the answer-key sheet as Word
//! tables.
//!
//! Written straight into the package with `zip` and quick-xml's writer, no other program:
//! [`xml`] is the writer, [`package`] the ZIP parts and relationships, [`styles`] the styles
//! and settings, [`markup`] reads item texts into words, formulas and pictures, [`omml`] turns
//! formulas into OMML, [`picture`] sizes and embeds pictures, [`body`] writes paragraphs and
//! tables, [`runs`] the runs, fields and footer beneath them, [`form`] lays out one form and
//! [`key`] the key sheet. The tests read the package back with `reading`.

mod body;
mod form;
mod key;
mod markup;
mod omml;
mod package;
mod picture;
mod runs;
mod styles;
mod xml;

#[cfg(test)]
mod omml_tests;
#[cfg(test)]
mod reading;
#[cfg(test)]
mod tests;

pub use form::form_docx;
pub use key::key_docx;
