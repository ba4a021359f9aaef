import { FALLBACK_RELATED } from '../ask';

/** The original's default suggestions, in its order (spec: original behaviour §7). */
export const DEFAULT_SUGGESTIONS = [
  'Các loại cơ sở dữ liệu phổ biến hiện nay là gì?',
  'Sự khác biệt giữa cơ sở dữ liệu quan hệ và NoSQL là gì?',
  'Làm thế nào để tối ưu hóa truy vấn SQL trong ứng dụng?',
  'Các mô hình dữ liệu cơ bản trong thiết kế cơ sở dữ liệu?',
  'Cách thiết kế schema cơ sở dữ liệu hiệu quả?',
  'Các cấp độ chuẩn hóa trong cơ sở dữ liệu quan hệ?',
  'Khi nào nên sử dụng index trong cơ sở dữ liệu?',
  'Các phương pháp backup và khôi phục cơ sở dữ liệu?',
];

/** Enough generic questions for the largest request (10): the defaults, then the generic follow-ups. */
export const GENERIC_SUGGESTIONS = [...DEFAULT_SUGGESTIONS, ...FALLBACK_RELATED.vi];
