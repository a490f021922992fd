const vi = {
  title: 'Việc của tôi',
  today: 'Hôm nay',
  customer: 'Khách hàng',
  instrument: 'Thiết bị',
  serial: 'Số sê-ri',
  service: 'Dịch vụ',
  status: 'Trạng thái',
  date: 'Ngày',
  open: 'Mở phiếu',
};
export const worklist = {
  vi,
  en: {
    title: 'My work',
    today: 'Today',
    customer: 'Customer',
    instrument: 'Instrument',
    serial: 'Serial number',
    service: 'Service',
    status: 'Status',
    date: 'Date',
    open: 'Open worksheet',
  } satisfies typeof vi,
};
