import { registerBundle } from '../../i18n';

const vi = {
  title: 'Danh sách phương tiện đo đến hạn kiểm định',
  type: 'Loại phương tiện đo',
  owner: 'Đơn vị sử dụng',
  district: 'Khu vực (quận/huyện nơi sử dụng)',
  window: 'Khoảng thời gian',
  days: 'Trong {{count}} ngày tới',
  overdueOnly: 'Chỉ quá hạn hoặc đến hạn hôm nay',
  range: 'Quá hạn và đến hạn đến hết ngày {{date}}',
  serial: 'Số sản xuất',
  place: 'Nơi sử dụng',
  lastVerification: 'Kiểm định gần nhất',
  due: 'Đến hạn',
  overdueBy: 'Quá hạn {{count}} ngày',
  dueIn: 'Còn {{count}} ngày',
  dueToday: 'Đến hạn hôm nay',
  revoked: 'Giấy bị thu hồi {{date}}',
  open: 'Mở {{serial}}',
};
export const dueList = {
  vi,
  en: {
    title: 'Instruments due for verification',
    type: 'Instrument type',
    owner: 'Owner',
    district: 'Area (district of the place of use)',
    window: 'Window',
    days: 'Within {{count}} days',
    overdueOnly: 'Overdue or due today only',
    range: 'Overdue, and due up to {{date}}',
    serial: 'Serial number',
    place: 'Place of use',
    lastVerification: 'Last verification',
    due: 'Due',
    overdueBy: 'Overdue by {{count}} days',
    dueIn: 'In {{count}} days',
    dueToday: 'Due today',
    revoked: 'Certificate revoked {{date}}',
    open: 'Open {{serial}}',
  } satisfies typeof vi,
};
registerBundle('dueList', dueList);
