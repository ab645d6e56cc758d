//! QTI content packages: a zip with `imsmanifest.xml` whose `<resource>`s of type
//! `imsqti_item_xmlv2p1`, `…v2p2` or `…v3p0` are items, and whose `imsqti_test_xmlv…` tests
//! refer to items (`assessmentItemRef href`); a test's items are imported once each, after the
//! item resources. Media are read from the zip only when an item refers to them.
//!
//! A package is untrusted: the entry count, every entry's size and the total read are capped,
//! and sizes are enforced on the bytes actually inflated, not on what the zip's headers claim
//! (a zip bomb lies there first).

use super::content::Media;
use super::tree::{self, Element};
use phongthi_items::Image;
use std::io::{Cursor, Read};

/// More entries than this is no question package.
pub(super) const MAX_ENTRIES: usize = 20_000;
/// Largest single entry read (an item file or an image).
pub(super) const MAX_ENTRY_BYTES: u64 = 16 << 20;
/// Most bytes inflated from one package.
pub(super) const MAX_TOTAL_BYTES: u64 = 256 << 20;

/// An open package and what is left of its read budget.
pub(super) struct Package {
    archive: zip::ZipArchive<Cursor<Vec<u8>>>,
    budget: u64,
}

impl Package {
    /// Opens `bytes` as a zip.
    pub(super) fn open(bytes: &[u8]) -> Result<Self, String> {
        let archive = zip::ZipArchive::new(Cursor::new(bytes.to_vec()))
            .map_err(|e| format!("không mở được tệp zip / cannot open the zip: {e}"))?;
        if archive.len() > MAX_ENTRIES {
            return Err(format!(
                "gói có {} tệp, tối đa {MAX_ENTRIES} / the package has {} entries, at most {MAX_ENTRIES}",
                archive.len(),
                archive.len()
            ));
        }
        Ok(Self { archive, budget: MAX_TOTAL_BYTES })
    }

    /// The bytes of entry `path`, `Ok(None)` when there is none.
    pub(super) fn read(&mut self, path: &str) -> Result<Option<Vec<u8>>, String> {
        let mut file = match self.archive.by_name(path) {
            Ok(file) => file,
            Err(zip::result::ZipError::FileNotFound) => return Ok(None),
            Err(e) => return Err(format!("{path}: không đọc được / cannot read: {e}")),
        };
        let limit = MAX_ENTRY_BYTES.min(self.budget);
        let mut bytes = Vec::new();
        (&mut file)
            .take(limit + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| format!("{path}: không giải nén được / cannot inflate: {e}"))?;
        if bytes.len() as u64 > limit {
            return Err(format!(
                "{path}: quá lớn hoặc gói vượt {} MiB khi giải nén / too large, or the package inflates beyond {} MiB",
                MAX_TOTAL_BYTES >> 20,
                MAX_TOTAL_BYTES >> 20
            ));
        }
        self.budget -= bytes.len() as u64;
        Ok(Some(bytes))
    }
}

/// One item file to import, with the files its resource lists.
#[derive(Debug, Clone)]
pub(super) struct ItemFile {
    pub(super) path: String,
    pub(super) files: Vec<String>,
}

/// The item files `manifest` names: item resources first, then items of tests not named yet.
pub(super) fn items(manifest: &Element, package: &mut Package) -> Result<Vec<ItemFile>, String> {
    let mut out: Vec<ItemFile> = Vec::new();
    let mut tests = Vec::new();
    let resources: Vec<&Element> = manifest.descendants().into_iter().filter(|e| e.name == "resource").collect();
    for resource in resources {
        let kind = resource.attribute("type").unwrap_or_default();
        let Some(href) = resource.attribute("href").map(|h| resolve("", h)) else { continue };
        let files =
            resource.children_named("file").filter_map(|f| f.attribute("href")).map(|h| resolve("", h)).collect();
        if kind.starts_with("imsqti_item_xmlv") {
            if !out.iter().any(|i| i.path == href) {
                out.push(ItemFile { path: href, files });
            }
        } else if kind.starts_with("imsqti_test_xmlv") {
            tests.push(href);
        }
    }
    for test in tests {
        let Some(bytes) = package.read(&test)? else { continue };
        let text = String::from_utf8_lossy(&bytes);
        let root = tree::parse(text.strip_prefix('\u{feff}').unwrap_or(&text))
            .map_err(|p| format!("{test}: {}", p.message))?;
        for reference in root.descendants().into_iter().filter(|e| e.name == "assessmentItemRef") {
            if let Some(href) = reference.attribute("href") {
                let path = resolve(dir_of(&test), href);
                if !out.iter().any(|i| i.path == path) {
                    out.push(ItemFile { path, files: Vec::new() });
                }
            }
        }
    }
    Ok(out)
}

/// The folder part of `path`, with its trailing `/`.
pub(super) fn dir_of(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..=i])
}

/// `href` relative to folder `base`, with `./` and `../` resolved (never above the root).
pub(super) fn resolve(base: &str, href: &str) -> String {
    let href = href.trim();
    let href = href.split(['?', '#']).next().unwrap_or_default();
    let mut parts: Vec<&str> =
        if href.starts_with('/') { Vec::new() } else { base.split('/').filter(|p| !p.is_empty()).collect() };
    for part in href.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.join("/")
}

/// The images next to one item file.
pub(super) struct PackageMedia<'p> {
    pub(super) package: &'p mut Package,
    pub(super) dir: String,
}

impl Media for PackageMedia<'_> {
    fn fetch(&mut self, src: &str) -> Result<Option<Image>, String> {
        if src.contains("://") || src.starts_with("data:") || src.starts_with("@@PLUGINFILE@@") {
            return Ok(None);
        }
        let path = resolve(&self.dir, src);
        // HTML percent-encodes what the zip stores plainly (`my%20pic.png` is `my pic.png`).
        for candidate in [path.clone(), percent_decode(&path)] {
            let name = candidate.rsplit('/').next().unwrap_or_default().to_owned();
            if !name.is_empty()
                && let Some(bytes) = self.package.read(&candidate)?
            {
                return Ok(Some(Image { name, bytes }));
            }
        }
        Err(format!("gói không có ảnh {path} / the package has no image {path}"))
    }
}

/// `%XX` escapes decoded (invalid ones and non-UTF-8 results left as written).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hrefs_resolve_inside_the_package() {
        assert_eq!(resolve("items/", "images/x.png"), "items/images/x.png");
        assert_eq!(resolve("items/a/", "../../../x.png"), "x.png");
        assert_eq!(resolve("", "./items/i.xml"), "items/i.xml");
        assert_eq!(percent_decode("a%20b%C3%A2%zz"), "a bâ%zz");
    }
}
