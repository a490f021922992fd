import { registerBundle } from '../i18n';

/** The texts of the registry's forms (loaded with them, not on the first load). */
const vi = {
  save: 'Lưu',
  saved: 'Đã lưu',
  cancel: 'Hủy',
  place: { none: '— Chưa chọn —', province: 'Tỉnh / thành phố', commune: 'Xã / phường / đặc khu' },
};
export const forms = {
  vi,
  en: {
    save: 'Save',
    saved: 'Saved',
    cancel: 'Cancel',
    place: { none: '— None —', province: 'Province / city', commune: 'Commune / ward / special zone' },
  } satisfies typeof vi,
};
registerBundle('forms', forms);
