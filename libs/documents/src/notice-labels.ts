import type { Bilingual } from './labels.js';

/**
 * The wording only a notice of failed verification (thông báo kết quả kiểm định không đạt) prints:
 * which points failed, and what a fail means for the instrument's owner.
 */
export const NOTICE_LABELS = {
  failingPoints: { vi: 'CÁC ĐIỂM ĐO KHÔNG ĐẠT', en: 'FAILING POINTS' },
  consequence: { vi: 'Hệ quả', en: 'Consequence' },
} as const satisfies Record<string, Bilingual>;

/** "2 of 5 points fail": the count is printed so that a reader knows the list is complete. */
export function failingCountSentence(failing: number, total: number): Bilingual {
  return {
    vi: `${failing} trên ${total} điểm đo có sai số vượt quá sai số lớn nhất cho phép (MPE).`,
    en: `${failing} of ${total} points have an error beyond the maximum permissible error (MPE).`,
  };
}

/** What a fail means: no certificate, no stamp, no use (for trade) until repaired and verified again. */
export function notForUseSentence(): Bilingual {
  return {
    vi: 'Không cấp giấy chứng nhận kiểm định và không dán tem kiểm định. Phương tiện đo không được phép sử dụng (trong mua bán, thanh toán) cho đến khi được sửa chữa và kiểm định sau sửa chữa đạt yêu cầu.',
    en: 'No verification certificate is issued and no verification stamp is affixed. The instrument may not be used (for trade) until it has been repaired and has passed an after-repair verification.',
  };
}
