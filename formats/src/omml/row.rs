//! A row of LaTeX atoms under construction.
//!
//! Keeping atoms apart (rather than one string) is what lets a script attach to the right thing:
//! `x^{2}` when the base is one atom, `{ab}^{2}` when it is several, `{x^{2}}^{3}` rather than the
//! double script `x^{2}^{3}` the typesetter refuses.

/// One atom: a character, a command with its arguments, or a base with scripts.
#[derive(Clone, Debug)]
pub(super) struct Part {
    /// Its LaTeX.
    pub(super) tex: String,
    /// Whether it already carries a script (another one must not attach to it).
    pub(super) scripted: bool,
}

/// Atoms in order.
#[derive(Clone, Debug, Default)]
pub(super) struct Row {
    pub(super) parts: Vec<Part>,
}

impl Row {
    pub(super) fn push(&mut self, tex: impl Into<String>) {
        self.parts.push(Part { tex: tex.into(), scripted: false });
    }

    pub(super) fn push_scripted(&mut self, tex: impl Into<String>) {
        self.parts.push(Part { tex: tex.into(), scripted: true });
    }

    pub(super) fn extend(&mut self, other: Row) {
        self.parts.extend(other.parts);
    }

    pub(super) fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// One unscripted atom: `\hat{x}` rather than `\widehat{AB}`, `x^{2}` without braces.
    pub(super) fn is_atom(&self) -> bool {
        matches!(self.parts.as_slice(), [part] if !part.scripted)
    }

    /// The row as LaTeX, with a space where a command name would otherwise run into a letter
    /// (`\alpha x`, not `\alphax`).
    pub(super) fn render(&self) -> String {
        let mut out = String::new();
        for part in &self.parts {
            if ends_with_control_word(&out) && part.tex.starts_with(|c: char| c.is_ascii_alphabetic()) {
                out.push(' ');
            }
            out.push_str(&part.tex);
        }
        out
    }

    /// The row as the base of a script: bare when it is one atom, braced otherwise.
    pub(super) fn as_base(&self) -> String {
        if self.is_atom() { self.render() } else { format!("{{{}}}", self.render()) }
    }

    /// The row as a script argument, with a lone prime or degree sign as the command TeX uses
    /// there.
    pub(super) fn as_script(&self) -> String {
        match self.render().as_str() {
            "'" => "{\\prime}".to_owned(),
            "{}^{\\circ}" => "{\\circ}".to_owned(),
            other => format!("{{{other}}}"),
        }
    }

    /// Appends `base` with its scripts as one atom; empty scripts are left out.
    pub(super) fn attach(&mut self, base: &Row, sub: Option<&Row>, sup: Option<&Row>) {
        let sub = sub.filter(|s| !s.is_empty());
        let sup = sup.filter(|s| !s.is_empty());
        if sub.is_none() && sup.is_none() {
            self.extend(base.clone());
            return;
        }
        let mut tex = if base.is_empty() { "{}".to_owned() } else { base.as_base() };
        if let Some(sub) = sub {
            tex.push('_');
            tex.push_str(&sub.as_script());
        }
        if let Some(sup) = sup {
            tex.push('^');
            tex.push_str(&sup.as_script());
        }
        self.push_scripted(tex);
    }

    /// `30°`: a raised circle on the atom before, or on an empty base.
    pub(super) fn degree(&mut self) {
        match self.parts.last_mut() {
            Some(last) if !last.scripted => {
                last.tex.push_str("^{\\circ}");
                last.scripted = true;
            }
            _ => self.push_scripted("{}^{\\circ}"),
        }
    }
}

/// Whether `tex` ends in a command name made of letters (`\alpha`, not `\\` or `\,`).
fn ends_with_control_word(tex: &str) -> bool {
    let name = tex.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    if name.len() == tex.len() {
        return false;
    }
    let backslashes = name.len() - name.trim_end_matches('\\').len();
    backslashes % 2 == 1
}
