//! Unit tests of the printable text and the layout's choices.

use super::text::printable;

#[test]
fn markup_goes_and_formulas_are_read_out() {
    assert_eq!(printable("Giải <b>phương trình</b> $x^2 - 5x + 6 = 0$"), vec!["Giải phương trình x² − 5x + 6 = 0"]);
    assert_eq!(printable("dòng 1<br>dòng 2 &amp; 3"), vec!["dòng 1", "dòng 2 & 3"]);
    assert_eq!(printable("<img src=\"@@PLUGINFILE@@/hinh1.png\">"), vec!["[Hình: hinh1.png]"]);
}
