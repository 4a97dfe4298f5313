//! String distances for the leftovers of name alignment: a weighted optimal-string-alignment
//! edit distance (transpositions count once, confusable letters count half) and Jaro-Winkler.

/// Letter pairs that transliterations swap freely; substituting one for the other costs half.
fn confusable(a: u8, b: u8) -> bool {
    let (a, b) = if a < b { (a, b) } else { (b, a) };
    matches!(
        (a, b),
        (b'c', b'k')
            | (b'i', b'y')
            | (b'i', b'j')
            | (b'e', b'i')
            | (b'o', b'u')
            | (b'a', b'e')
            | (b'a', b'o')
            | (b'v', b'w')
            | (b's', b'z')
            | (b'c', b's')
            | (b'f', b'v')
            | (b'd', b't')
            | (b'b', b'p')
            | (b'g', b'k')
            | (b'k', b'q')
    )
}

/// Weighted edit distance (insert/delete/substitute 1, confusable substitution 0.5, adjacent
/// transposition 1) between two byte strings. Stops early and returns `f64::INFINITY` once
/// every alignment exceeds `max`.
pub fn weighted_distance(a: &[u8], b: &[u8], max: f64) -> f64 {
    let (n, m) = (a.len(), b.len());
    if (n as f64 - m as f64).abs() > max {
        return f64::INFINITY;
    }
    if n == 0 || m == 0 {
        return n.max(m) as f64;
    }
    // Three rolling rows for the transposition step, on the stack for ordinary name lengths.
    const STACK: usize = 48;
    let mut heap: Vec<f64>;
    let mut stack = [0f64; 3 * STACK];
    let rows: &mut [f64] = if m < STACK {
        &mut stack[..3 * (m + 1)]
    } else {
        heap = vec![0f64; 3 * (m + 1)];
        &mut heap[..]
    };
    let (prev2, rest) = rows.split_at_mut(m + 1);
    let (prev, cur) = rest.split_at_mut(m + 1);
    let (mut prev2, mut prev, mut cur) = (prev2, prev, cur);
    for (j, v) in prev.iter_mut().enumerate() {
        *v = j as f64;
    }
    for i in 1..=n {
        cur[0] = i as f64;
        let mut row_min = cur[0];
        for j in 1..=m {
            let sub = if a[i - 1] == b[j - 1] {
                0.0
            } else if confusable(a[i - 1], b[j - 1]) {
                0.5
            } else {
                1.0
            };
            let mut v = (prev[j] + 1.0).min(cur[j - 1] + 1.0).min(prev[j - 1] + sub);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1.0);
            }
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if row_min > max {
            return f64::INFINITY;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[m]
}

/// Jaro-Winkler similarity (prefix up to 4, scale 0.1).
pub fn jaro_winkler(a: &[u8], b: &[u8]) -> f64 {
    let (n, m) = (a.len(), b.len());
    if n == 0 || m == 0 {
        return if n == m { 1.0 } else { 0.0 };
    }
    let window = (n.max(m) / 2).saturating_sub(1);
    let mut a_used = vec![false; n];
    let mut b_used = vec![false; m];
    let mut matches = 0usize;
    for i in 0..n {
        let lo = i.saturating_sub(window);
        let hi = (i + window + 1).min(m);
        for j in lo..hi {
            if !b_used[j] && a[i] == b[j] {
                a_used[i] = true;
                b_used[j] = true;
                matches += 1;
                break;
            }
        }
    }
    if matches == 0 {
        return 0.0;
    }
    let mut transpositions = 0usize;
    let mut k = 0usize;
    for i in 0..n {
        if a_used[i] {
            while !b_used[k] {
                k += 1;
            }
            if a[i] != b[k] {
                transpositions += 1;
            }
            k += 1;
        }
    }
    let mf = matches as f64;
    let jaro = (mf / n as f64 + mf / m as f64 + (mf - transpositions as f64 / 2.0) / mf) / 3.0;
    let prefix = a.iter().zip(b).take(4).take_while(|(x, y)| x == y).count();
    jaro + prefix as f64 * 0.1 * (1.0 - jaro)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weighted_distance_counts_edits() {
        assert_eq!(weighted_distance(b"putin", b"putin", 3.0), 0.0);
        assert_eq!(weighted_distance(b"putin", b"pudin", 3.0), 0.5);
        assert_eq!(weighted_distance(b"jonson", b"johnson", 3.0), 1.0);
        assert_eq!(weighted_distance(b"abcd", b"abdc", 3.0), 1.0);
        assert_eq!(weighted_distance(b"kitten", b"sitting", 1.0), f64::INFINITY);
    }

    #[test]
    fn jaro_winkler_known_values() {
        assert!((jaro_winkler(b"martha", b"marhta") - 0.9611).abs() < 1e-3);
        assert_eq!(jaro_winkler(b"abc", b"abc"), 1.0);
        assert_eq!(jaro_winkler(b"abc", b"xyz"), 0.0);
    }
}
