//! Which letter the correct option of each single-choice question takes on one form.
//!
//! Good form mixers give every letter about a quarter of the answers and never three equal
//! letters in a row, so that neither "when in doubt answer C" nor spotting a run pays off. Items
//! with a pinned option restrict the letters (a pinned correct option forces its own; a pinned
//! distractor rules out its place), so the letters are planned for the whole form at once:
//!
//! 1. Quotas: the most constrained questions first, each gives one to the least-filled letter
//!    it allows — the counts every letter should reach on this form.
//! 2. Sequence: in presented order, each question draws a letter from the remaining quotas,
//!    with weight `remaining quota / remaining questions that allow the letter`, so a letter
//!    that few questions can take is drawn while it still can be; a letter that needs every
//!    remaining chance is taken at once. Letters making three in a row — with the two before or
//!    with letters forced just ahead — are avoided whenever another letter is allowed.
//!
//! Drawing from quotas rather than always taking the least-used letter keeps the sequence
//! unpredictable: "least used first" makes every block of four a permutation of ABCD.

use rand::RngExt;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha20Rng;

/// Reusable buffers, so planning a form allocates nothing once warmed up.
#[derive(Default)]
pub(super) struct LetterScratch {
    by_constraint: Vec<usize>,
}

/// Fills `letters` with one letter (0 = A) per entry of `allowed` (bit masks of the letters each
/// question allows, in presented order).
pub(super) fn plan_letters(allowed: &[u32], rng: &mut ChaCha20Rng, scratch: &mut LetterScratch, letters: &mut Vec<u8>) {
    letters.clear();
    let quota = quotas(allowed, rng, scratch);
    let mut remaining_quota = quota;
    let mut chances = [0u32; 26];
    for mask in allowed {
        for (letter, chance) in chances.iter_mut().enumerate() {
            *chance += (mask >> letter) & 1;
        }
    }
    let mut previous: [Option<u8>; 2] = [None; 2];
    for (position, &mask) in allowed.iter().enumerate() {
        let ahead = [forced(allowed.get(position + 1)), forced(allowed.get(position + 2))];
        let makes_triple = |letter: u8| {
            let [before_last, last] = previous;
            (before_last == Some(letter) && last == Some(letter))
                || (last == Some(letter) && ahead[0] == Some(letter))
                || (ahead[0] == Some(letter) && ahead[1] == Some(letter))
        };
        let mut candidates = letters_of(mask & !mask_of(makes_triple));
        if candidates.is_empty() {
            // The pool does not allow avoiding a run.
            candidates = letters_of(mask);
        }
        let chosen = draw(&candidates, &remaining_quota, &chances, rng);
        letters.push(chosen);
        remaining_quota[usize::from(chosen)] = remaining_quota[usize::from(chosen)].saturating_sub(1);
        for (letter, chance) in chances.iter_mut().enumerate() {
            *chance -= (mask >> letter) & 1;
        }
        previous = [previous[1], Some(chosen)];
    }
}

/// Target count per letter: most constrained questions first, each to its least-filled letter.
fn quotas(allowed: &[u32], rng: &mut ChaCha20Rng, scratch: &mut LetterScratch) -> [u32; 26] {
    let order = &mut scratch.by_constraint;
    order.clear();
    order.extend(0..allowed.len());
    order.shuffle(rng);
    order.sort_by_key(|&i| allowed[i].count_ones());
    let mut quota = [0u32; 26];
    for &index in order.iter() {
        let candidates = letters_of(allowed[index]);
        let Some(least) = candidates.as_slice().iter().map(|&l| quota[usize::from(l)]).min() else { continue };
        let tied = letters_of(allowed[index] & mask_of(|l| quota[usize::from(l)] == least));
        let pick = tied.as_slice()[rng.random_range(0..tied.len as u32) as usize];
        quota[usize::from(pick)] += 1;
    }
    quota
}

/// One letter among `candidates`: a letter that needs every remaining chance first, else drawn
/// with weight remaining quota / remaining chances; letters whose quota is used up only when
/// nothing else is allowed.
fn draw(candidates: &Letters, remaining_quota: &[u32; 26], chances: &[u32; 26], rng: &mut ChaCha20Rng) -> u8 {
    let needs_every_chance =
        letters_of(candidates.mask() & mask_of(|l| remaining_quota[usize::from(l)] >= chances[usize::from(l)].max(1)));
    let pool = if !needs_every_chance.is_empty() {
        needs_every_chance
    } else {
        let with_quota = letters_of(candidates.mask() & mask_of(|l| remaining_quota[usize::from(l)] > 0));
        if with_quota.is_empty() { *candidates } else { with_quota }
    };
    let weight = |letter: u8| {
        let index = usize::from(letter);
        (remaining_quota[index] * 1024 / chances[index].max(1)).max(1)
    };
    let total: u32 = pool.as_slice().iter().map(|&l| weight(l)).sum();
    let mut pick = rng.random_range(0..total.max(1));
    for &letter in pool.as_slice() {
        if pick < weight(letter) {
            return letter;
        }
        pick -= weight(letter);
    }
    pool.as_slice().first().copied().unwrap_or(0)
}

/// The letter a question must take, when it allows only one.
fn forced(mask: Option<&u32>) -> Option<u8> {
    mask.filter(|m| m.count_ones() == 1).map(|m| m.trailing_zeros() as u8)
}

fn mask_of(keep: impl Fn(u8) -> bool) -> u32 {
    (0..26u8).filter(|&l| keep(l)).fold(0, |mask, l| mask | 1 << l)
}

/// A small set of letters on the stack.
#[derive(Clone, Copy)]
struct Letters {
    letters: [u8; 26],
    len: usize,
}

impl Letters {
    fn as_slice(&self) -> &[u8] {
        &self.letters[..self.len]
    }

    fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn mask(&self) -> u32 {
        self.as_slice().iter().fold(0, |mask, &l| mask | 1 << l)
    }
}

fn letters_of(mask: u32) -> Letters {
    let mut letters = Letters { letters: [0; 26], len: 0 };
    for letter in (0..26u8).filter(|l| mask & (1 << l) != 0) {
        letters.letters[letters.len] = letter;
        letters.len += 1;
    }
    letters
}
