// [key, value] of every localStorage and sessionStorage entry (the session a login issued).
() => {
  const pairs = [];
  for (const s of [localStorage, sessionStorage]) {
    for (let i = 0; i < s.length; i++) pairs.push([s.key(i), s.getItem(s.key(i)) || '']);
  }
  return pairs;
}
