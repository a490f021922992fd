const vi = {
  title: 'Đăng nhập',
  username: 'Tên đăng nhập',
  password: 'Mật khẩu',
  submit: 'Đăng nhập',
};
export const signIn = {
  vi,
  en: { title: 'Sign in', username: 'Username', password: 'Password', submit: 'Sign in' } satisfies typeof vi,
};
