//! What a simulated student answers: a valid answer for the question's kind, varied by the
//! student and by the change number, so later changes overwrite earlier ones and the final
//! store check compares real, distinct values.

use phongthi_protocol::{Answer, PresentedBody, PresentedForm};

/// Question numbers that take an answer (descriptions do not).
pub(crate) fn answerable(form: &PresentedForm) -> Vec<u32> {
    form.questions().filter(|q| !matches!(q.body, PresentedBody::Description)).map(|q| q.number).collect()
}

/// The `change`-th answer of `student` to question `number`.
pub(crate) fn answer_for(form: &PresentedForm, number: u32, student: usize, change: usize) -> Answer {
    let salt = student.wrapping_mul(31).wrapping_add(change);
    match form.question(number).map(|q| &q.body) {
        Some(PresentedBody::SingleChoice { options }) => Answer::Choices(vec![(salt % options.len().max(1)) as u8]),
        Some(PresentedBody::MultipleResponse { options }) => {
            let n = options.len().clamp(1, 8);
            let mut chosen: Vec<u8> = (0..n as u8).filter(|i| (salt >> i) & 1 == 1).collect();
            if chosen.is_empty() {
                chosen.push((salt % n) as u8);
            }
            Answer::Choices(chosen)
        }
        Some(PresentedBody::TrueFalse) => Answer::TrueFalse(salt.is_multiple_of(2)),
        Some(PresentedBody::TrueFalseCluster { statements }) => {
            Answer::Cluster((0..statements.len()).map(|i| Some(!(i + salt).is_multiple_of(3))).collect())
        }
        Some(PresentedBody::Numeric { .. }) => Answer::Text(["5", "4,5", "-1,5", "12"][salt % 4].into()),
        Some(PresentedBody::Matching { prompts, answers }) => {
            let n = answers.len().max(1);
            Answer::Matching((0..prompts.len()).map(|i| Some(((i + salt) % n) as u8)).collect())
        }
        Some(PresentedBody::Essay) => Answer::Text(format!("Bài làm lần {change}: năng lượng được bảo toàn.")),
        _ => Answer::Text(["quang hợp", "Hà Nội", "điện trở", "ôxi"][salt % 4].into()),
    }
}
