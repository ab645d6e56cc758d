//! The parser for the LaTeX subset teachers write in school maths: a source such as
//! `\frac{1}{2} \le x^{2} < \sqrt[3]{8}` becomes a tree of [`Node`]s.
//!
//! Anything outside the subset is an error, never a guess: the caller then shows the source as
//! typed, which a student can still read. Nesting is capped so hostile input cannot exhaust the
//! stack.

use super::symbols::{self, Class};

/// How deep groups may nest (`{{{…}}}`); school maths needs a handful.
const MAX_DEPTH: usize = 24;

/// One piece of typeset maths.
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    /// A letter, digit, operator or symbol, already mapped to the character drawn.
    Symbol {
        /// What is drawn (`𝑥`, `2`, `≤`, `α`).
        text: String,
        /// How it is spaced.
        class: Class,
    },
    /// Upright words (`\text{với}`).
    Text(String),
    /// A braced group `{…}`.
    Group(Vec<Node>),
    /// `\frac{numerator}{denominator}`.
    Fraction {
        /// Above the bar.
        numerator: Vec<Node>,
        /// Below the bar.
        denominator: Vec<Node>,
    },
    /// `\sqrt{radicand}` or `\sqrt[degree]{radicand}`.
    Root {
        /// The small index (`3` of a cube root).
        degree: Option<Vec<Node>>,
        /// Under the sign.
        radicand: Vec<Node>,
    },
    /// A base with a superscript, a subscript or both.
    Scripts {
        /// What the scripts attach to.
        base: Box<Node>,
        /// Raised (`^`).
        sup: Option<Vec<Node>>,
        /// Lowered (`_`).
        sub: Option<Vec<Node>>,
    },
    /// `\left( … \right)`: delimiters as tall as their content; `.` is an invisible one.
    Delimited {
        /// Opening delimiter drawn (empty for `\left.`).
        open: String,
        /// Content.
        body: Vec<Node>,
        /// Closing delimiter drawn (empty for `\right.`).
        close: String,
    },
    /// A mark over its argument.
    Accent {
        /// Which mark.
        accent: Accent,
        /// Under the mark.
        body: Vec<Node>,
    },
    /// `\begin{cases} a & b \\ c & d \end{cases}`: rows of cells behind one tall brace.
    Cases(Vec<Vec<Vec<Node>>>),
    /// Horizontal space, in ems (`\,` `\;` `\quad`).
    Space(Em),
}

/// A length in ems of the current font size.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Em(pub f32);

/// Marks drawn over an argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Accent {
    /// `\overline{AB}`, `\bar{x}`.
    Bar,
    /// `\overrightarrow{AB}`, `\vec{u}`.
    Arrow,
    /// `\widehat{ABC}`, `\hat{A}` (an angle, as Vietnamese textbooks write it).
    Hat,
}

/// Why a formula is outside the subset.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MathError {
    /// A command the typesetter does not know.
    #[error("lệnh không hỗ trợ / unsupported command \\{0}")]
    UnknownCommand(String),
    /// `{` without `}` or the reverse.
    #[error("ngoặc nhọn không khớp / unbalanced braces")]
    UnbalancedBraces,
    /// A command lacks an argument (`\frac{1}`, `x^`).
    #[error("thiếu đối số của {0} / missing argument of {0}")]
    MissingArgument(String),
    /// `\left` without `\right` or the reverse, or a delimiter that is not one.
    #[error("\\left/\\right không khớp / unmatched \\left/\\right")]
    UnmatchedDelimiter,
    /// An environment other than `cases`, or one not closed.
    #[error("môi trường không hỗ trợ / unsupported environment {0}")]
    UnknownEnvironment(String),
    /// Two superscripts or two subscripts on one base (`x^2^3`).
    #[error("hai chỉ số trên hoặc dưới liền nhau / double script")]
    DoubleScript,
    /// Groups nested deeper than [`MAX_DEPTH`].
    #[error("lồng nhau quá sâu / nested too deeply")]
    TooDeep,
}

/// Parses a formula (the text between `$` and `$`).
pub fn parse(source: &str) -> Result<Vec<Node>, MathError> {
    let mut parser = Parser { chars: source.chars().collect(), at: 0, depth: 0 };
    let nodes = parser.row(Stop::End)?;
    if parser.at < parser.chars.len() {
        return Err(MathError::UnbalancedBraces);
    }
    Ok(nodes)
}

/// What ends the row being read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Stop {
    End,
    Brace,
    Bracket,
    Right,
    /// A cell of `cases`: `&`, `\\` or `\end`.
    Cell,
}

struct Parser {
    chars: Vec<char>,
    at: usize,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn skip_spaces(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.at += 1;
        }
    }

    /// The name after a backslash: letters, or one other character (`\,` `\{`).
    fn command_name(&mut self) -> String {
        let start = self.at;
        while self.peek().is_some_and(|c| c.is_ascii_alphabetic()) {
            self.at += 1;
        }
        if self.at == start && self.peek().is_some() {
            self.at += 1;
        }
        self.chars[start..self.at].iter().collect()
    }

    fn looking_at_command(&self, name: &str) -> bool {
        let rest = self.chars.get(self.at..).unwrap_or_default();
        let mut expected = std::iter::once('\\').chain(name.chars());
        let matches = rest.iter().take(name.chars().count() + 1).all(|c| expected.next() == Some(*c));
        // `\right(` ends at the `(`; `\rightarrow` is another command. A symbol name (`\\`) has
        // no such boundary.
        let alphabetic = name.chars().all(|c| c.is_ascii_alphabetic());
        let boundary = !alphabetic || rest.get(name.chars().count() + 1).is_none_or(|c| !c.is_ascii_alphabetic());
        matches && rest.len() > name.chars().count() && boundary
    }

    fn row(&mut self, stop: Stop) -> Result<Vec<Node>, MathError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(MathError::TooDeep);
        }
        let mut nodes = Vec::new();
        loop {
            self.skip_spaces();
            let Some(c) = self.peek() else {
                if stop != Stop::End {
                    return Err(match stop {
                        Stop::Right => MathError::UnmatchedDelimiter,
                        Stop::Cell => MathError::UnknownEnvironment("cases".into()),
                        _ => MathError::UnbalancedBraces,
                    });
                }
                break;
            };
            match (c, stop) {
                ('}', Stop::Brace) => {
                    self.at += 1;
                    break;
                }
                (']', Stop::Bracket) => {
                    self.at += 1;
                    break;
                }
                ('}', _) => return Err(MathError::UnbalancedBraces),
                ('&', Stop::Cell) => break,
                _ => {}
            }
            if stop == Stop::Right && self.looking_at_command("right") {
                break;
            }
            if stop == Stop::Cell && (self.looking_at_command("\\") || self.looking_at_command("end")) {
                break;
            }
            if self.looking_at_command("right") {
                return Err(MathError::UnmatchedDelimiter);
            }
            if c == '^' || c == '_' {
                self.at += 1;
                let script = self.argument(if c == '^' { "^" } else { "_" })?;
                let base = nodes.pop().unwrap_or(Node::Group(Vec::new()));
                nodes.push(attach(base, c == '^', script)?);
                continue;
            }
            if let Some(node) = self.atom()? {
                nodes.push(node);
            }
        }
        self.depth -= 1;
        Ok(nodes)
    }

    /// One argument: a braced group, a command or a single character.
    fn argument(&mut self, of: &str) -> Result<Vec<Node>, MathError> {
        self.skip_spaces();
        match self.peek() {
            None | Some('}' | '^' | '_' | '&') => Err(MathError::MissingArgument(of.to_owned())),
            Some('{') => {
                self.at += 1;
                self.row(Stop::Brace)
            }
            Some(_) => Ok(self.atom()?.into_iter().collect()),
        }
    }

    /// The raw text of a braced argument (`\text{…}`, `\begin{…}`).
    fn raw_argument(&mut self, of: &str) -> Result<String, MathError> {
        self.skip_spaces();
        if self.peek() != Some('{') {
            return Err(MathError::MissingArgument(of.to_owned()));
        }
        self.at += 1;
        let start = self.at;
        let mut depth = 0usize;
        while let Some(c) = self.peek() {
            match c {
                '{' => depth += 1,
                '}' if depth == 0 => {
                    let text = self.chars[start..self.at].iter().collect();
                    self.at += 1;
                    return Ok(text);
                }
                '}' => depth -= 1,
                _ => {}
            }
            self.at += 1;
        }
        Err(MathError::UnbalancedBraces)
    }

    fn atom(&mut self) -> Result<Option<Node>, MathError> {
        let Some(c) = self.peek() else { return Ok(None) };
        self.at += 1;
        match c {
            '{' => Ok(Some(Node::Group(self.row(Stop::Brace)?))),
            '\\' => self.command(),
            '&' => Err(MathError::UnknownEnvironment("&".into())),
            _ => Ok(Some(symbols::character(c))),
        }
    }

    fn command(&mut self) -> Result<Option<Node>, MathError> {
        // Arguments without braces (`\sqrt\sqrt\sqrt…`) recurse through here, not through
        // `row`: count them too.
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(MathError::TooDeep);
        }
        let node = self.command_body();
        self.depth -= 1;
        node
    }

    fn command_body(&mut self) -> Result<Option<Node>, MathError> {
        let name = self.command_name();
        if name.is_empty() {
            return Err(MathError::MissingArgument("\\".into()));
        }
        if let Some(node) = symbols::command(&name) {
            return Ok(Some(node));
        }
        let node = match name.as_str() {
            "frac" | "dfrac" | "tfrac" => {
                let numerator = self.argument(&name)?;
                let denominator = self.argument(&name)?;
                Node::Fraction { numerator, denominator }
            }
            "sqrt" => {
                self.skip_spaces();
                let degree = if self.peek() == Some('[') {
                    self.at += 1;
                    Some(self.row(Stop::Bracket)?)
                } else {
                    None
                };
                Node::Root { degree, radicand: self.argument("sqrt")? }
            }
            "text" | "textrm" | "mbox" | "textit" | "textbf" => Node::Text(self.raw_argument(&name)?),
            "mathrm" | "operatorname" => Node::Group(self.upright_argument(&name)?),
            "mathbb" | "mathbf" | "mathcal" | "mathit" => {
                let text = self.raw_argument(&name)?;
                Node::Group(symbols::alphabet(&name, &text).ok_or(MathError::UnknownCommand(name))?)
            }
            "overline" | "bar" => Node::Accent { accent: Accent::Bar, body: self.argument(&name)? },
            "overrightarrow" | "vec" => Node::Accent { accent: Accent::Arrow, body: self.argument(&name)? },
            "widehat" | "hat" => Node::Accent { accent: Accent::Hat, body: self.argument(&name)? },
            "left" => self.delimited()?,
            "begin" => self.environment()?,
            _ => return Err(MathError::UnknownCommand(name)),
        };
        Ok(Some(node))
    }

    /// `\mathrm{d}`: letters upright, everything else as usual.
    fn upright_argument(&mut self, of: &str) -> Result<Vec<Node>, MathError> {
        let text = self.raw_argument(of)?;
        Ok(vec![Node::Symbol { text, class: Class::Ordinary }])
    }

    fn delimiter(&mut self) -> Result<String, MathError> {
        self.skip_spaces();
        let Some(c) = self.peek() else { return Err(MathError::UnmatchedDelimiter) };
        self.at += 1;
        let text = match c {
            '.' => String::new(),
            '(' | ')' | '[' | ']' | '|' => c.to_string(),
            '\\' => match self.command_name().as_str() {
                "{" | "lbrace" => "{".into(),
                "}" | "rbrace" => "}".into(),
                "|" | "Vert" => "‖".into(),
                "langle" => "⟨".into(),
                "rangle" => "⟩".into(),
                _ => return Err(MathError::UnmatchedDelimiter),
            },
            _ => return Err(MathError::UnmatchedDelimiter),
        };
        Ok(text)
    }

    fn delimited(&mut self) -> Result<Node, MathError> {
        let open = self.delimiter()?;
        let body = self.row(Stop::Right)?;
        if !self.looking_at_command("right") {
            return Err(MathError::UnmatchedDelimiter);
        }
        self.at += "\\right".len();
        let close = self.delimiter()?;
        Ok(Node::Delimited { open, body, close })
    }

    fn environment(&mut self) -> Result<Node, MathError> {
        let name = self.raw_argument("begin")?;
        if name != "cases" {
            return Err(MathError::UnknownEnvironment(name));
        }
        let mut rows = Vec::new();
        let mut cells = Vec::new();
        loop {
            cells.push(self.row(Stop::Cell)?);
            if self.peek() == Some('&') {
                self.at += 1;
                continue;
            }
            if self.looking_at_command("\\") {
                self.at += 2;
                rows.push(std::mem::take(&mut cells));
                continue;
            }
            // `\end`
            self.at += "\\end".len();
            let end = self.raw_argument("end")?;
            if end != "cases" {
                return Err(MathError::UnknownEnvironment(end));
            }
            let trailing_empty = cells.len() == 1 && cells.first().is_some_and(Vec::is_empty);
            if !trailing_empty {
                rows.push(cells);
            }
            return Ok(Node::Cases(rows));
        }
    }
}

/// Attaches a script to the node before it, merging `x_1^2` into one [`Node::Scripts`].
fn attach(base: Node, raised: bool, script: Vec<Node>) -> Result<Node, MathError> {
    match base {
        Node::Scripts { base, sup, sub } => match (raised, sup, sub) {
            (true, None, sub) => Ok(Node::Scripts { base, sup: Some(script), sub }),
            (false, sup, None) => Ok(Node::Scripts { base, sup, sub: Some(script) }),
            _ => Err(MathError::DoubleScript),
        },
        base => {
            let (sup, sub) = if raised { (Some(script), None) } else { (None, Some(script)) };
            Ok(Node::Scripts { base: Box::new(base), sup, sub })
        }
    }
}
