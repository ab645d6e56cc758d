//! The texts of an item: the item body's XHTML becomes the stem (and choice texts) as HTML, with
//! `<img src="images/x.png">` of a package turned into an item image and a
//! `@@PLUGINFILE@@/x.png` reference, the bank's one way to point at a figure.
//!
//! Two readings. A foreign item (TAO, another tool) is re-serialised: namespace prefixes go,
//! void elements are written `<br/>` so the text is still XHTML on the way out again. An item
//! this crate exported (its stem sits in `<div data-phongthi-part="stem">`) is taken back byte
//! for byte, or as plain text when its format is not HTML, so that export → import keeps
//! [`phongthi_items::Item::content_hash`].

use super::tree::{Element, Node, Problem};
use phongthi_items::{Image, TextFormat};
use quick_xml::escape::escape;

/// The marker the exporter leaves on its stem.
pub(super) const PART: &str = "data-phongthi-part";
/// The stem's text format, written by the exporter.
pub(super) const FORMAT: &str = "data-phongthi-format";
/// What the texts refer to images by.
pub(super) const PLUGINFILE: &str = "@@PLUGINFILE@@/";

/// Elements written `<x/>` rather than `<x></x>`.
const VOID: [&str; 8] = ["br", "img", "hr", "col", "area", "wbr", "source", "input"];
/// Conditional content that QTI shows after scoring, never part of the question.
const HIDDEN: [&str; 5] = ["feedbackInline", "feedbackBlock", "templateInline", "templateBlock", "rubricBlock"];

/// Where an item's images come from.
pub(super) trait Media {
    /// The bytes and file name for `src` as written next to an item: `Ok(None)` when `src` is
    /// no file of the package (an URL, or a lone XML file), `Err` when it should be and is not.
    fn fetch(&mut self, src: &str) -> Result<Option<Image>, String>;
}

/// No package: every `src` stays as written.
pub(super) struct NoMedia;

impl Media for NoMedia {
    fn fetch(&mut self, _src: &str) -> Result<Option<Image>, String> {
        Ok(None)
    }
}

/// Reads the texts of one item.
pub(super) struct Texts<'a> {
    /// The item file's text (for byte-for-byte reading).
    pub(super) source: &'a str,
    /// Where images come from.
    pub(super) media: &'a mut dyn Media,
    /// Images collected so far, in order of first reference.
    pub(super) images: Vec<Image>,
    /// `Some(format)` for an item this crate exported.
    pub(super) ours: Option<TextFormat>,
}

impl Texts<'_> {
    /// The content of `element` as item text, leaving out the element at `skip` (an interaction).
    pub(super) fn read(&mut self, element: &Element, skip: Option<usize>) -> Result<String, Problem> {
        self.read_range(element, element.inner.end, skip)
    }

    /// Like [`Texts::read`], but only the content before byte `end` (a choice's feedback).
    pub(super) fn read_range(&mut self, element: &Element, end: usize, skip: Option<usize>) -> Result<String, Problem> {
        match self.ours {
            Some(TextFormat::Html) => {
                let raw = self.source.get(element.inner.start..end).unwrap_or_default().to_owned();
                let mut text = raw;
                for img in element.descendants().into_iter().filter(|e| e.name == "img" && e.offset < end) {
                    if let Some(src) = img.attribute("src")
                        && self.image(img, src)?.is_some()
                    {
                        // The reference as the exporter wrote it (percent-encoded or not), so
                        // the text comes back byte for byte.
                        let written = src.rsplit('/').next().unwrap_or_default();
                        text = text.replace(&format!("src=\"{src}\""), &format!("src=\"{PLUGINFILE}{written}\""));
                    }
                }
                Ok(text.trim().to_owned())
            }
            Some(_) => {
                let mut text = String::new();
                for node in &element.children {
                    match node {
                        Node::Text(t) => text.push_str(t),
                        Node::Element(e) if e.offset < end && !HIDDEN.contains(&e.name.as_str()) => {
                            text.push_str(&e.text());
                        }
                        Node::Element(_) => {}
                    }
                }
                Ok(text.trim().to_owned())
            }
            None => {
                let mut out = String::new();
                self.write_children(element, end, skip, &mut out)?;
                Ok(out.trim().to_owned())
            }
        }
    }

    fn write_children(
        &mut self,
        element: &Element,
        end: usize,
        skip: Option<usize>,
        out: &mut String,
    ) -> Result<(), Problem> {
        let alone = skip.is_some_and(|at| only_holds(element, at));
        for node in &element.children {
            match node {
                Node::Text(text) => out.push_str(&escape(text.as_str())),
                Node::Element(child) if child.offset >= end => {}
                Node::Element(child) if Some(child.offset) == skip => {
                    // An inline blank in a sentence stays visible as one; alone it just goes.
                    if !alone && child.name == "textEntryInteraction" {
                        out.push_str("_____");
                    }
                }
                Node::Element(child) if HIDDEN.contains(&child.name.as_str()) => {}
                Node::Element(child) if skip.is_some_and(|at| only_holds(child, at)) => {}
                Node::Element(child) => self.write_element(child, skip, out)?,
            }
        }
        Ok(())
    }

    fn write_element(&mut self, element: &Element, skip: Option<usize>, out: &mut String) -> Result<(), Problem> {
        // QTI 2.x puts pictures in `<object type="image/png" data="…">alt</object>`; the bank
        // and its renderer know `<img>`.
        if element.name == "object"
            && element.attribute("type").is_some_and(|t| t.trim().starts_with("image/"))
            && let Some(data) = element.attribute("data")
        {
            let src = match self.image(element, data)? {
                Some(name) => format!("{PLUGINFILE}{name}"),
                None => data.to_owned(),
            };
            let alt = element.text();
            out.push_str(&format!("<img src=\"{}\" alt=\"{}\"/>", escape(src.as_str()), escape(alt.trim())));
            return Ok(());
        }
        out.push('<');
        out.push_str(&element.name);
        for (key, value) in &element.attributes {
            if key == "xmlns" || key.contains(':') {
                continue;
            }
            let value = if element.name == "img" && key == "src" {
                match self.image(element, value)? {
                    Some(name) => format!("{PLUGINFILE}{name}"),
                    None => value.clone(),
                }
            } else {
                value.clone()
            };
            out.push_str(&format!(" {key}=\"{}\"", escape(value.as_str())));
        }
        if element.children.is_empty() && VOID.contains(&element.name.as_str()) {
            out.push_str("/>");
            return Ok(());
        }
        out.push('>');
        self.write_children(element, usize::MAX, skip, out)?;
        out.push_str(&format!("</{}>", element.name));
        Ok(())
    }

    /// Fetches the image `src` refers to; its name in the item, or `None` to leave `src` alone.
    fn image(&mut self, img: &Element, src: &str) -> Result<Option<String>, Problem> {
        let Some(image) = self.media.fetch(src).map_err(|message| Problem::new(img.offset, message))? else {
            return Ok(None);
        };
        match self.images.iter().find(|i| i.name == image.name) {
            None => {
                let name = image.name.clone();
                self.images.push(image);
                Ok(Some(name))
            }
            Some(same) if same.bytes == image.bytes => Ok(Some(image.name)),
            Some(_) => Err(Problem::new(
                img.offset,
                format!("hai ảnh khác nhau cùng tên {0} / two different images are both named {0}", image.name),
            )),
        }
    }
}

/// Whether `element` holds the element at `offset` and nothing else but whitespace.
fn only_holds(element: &Element, offset: usize) -> bool {
    let mut found = false;
    for node in &element.children {
        match node {
            Node::Text(text) if text.trim().is_empty() => {}
            Node::Text(_) => return false,
            Node::Element(child) if child.offset == offset => found = true,
            Node::Element(child) if only_holds(child, offset) => found = true,
            Node::Element(_) => return false,
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::super::tree::parse;
    use super::*;

    #[test]
    fn foreign_xhtml_is_reserialised_without_namespaces() {
        let source =
            r#"<itemBody xmlns:m="x"><p>H<sub>2</sub>O &amp; <br/><m:math><m:mi>x</m:mi></m:math></p></itemBody>"#;
        let root = parse(source).unwrap();
        let mut media = NoMedia;
        let mut texts = Texts { source, media: &mut media, images: Vec::new(), ours: None };
        assert_eq!(texts.read(&root, None).unwrap(), "<p>H<sub>2</sub>O &amp; <br/><math><mi>x</mi></math></p>");
    }
}
