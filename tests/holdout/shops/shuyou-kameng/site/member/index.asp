<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>会员登录 - 蜀游卡盟 - 游戏点卡批发|Q币充值|代理加盟</title>
<style type="text/css">
body{margin:0;font-size:12px;background:#eef3f8;font-family:宋体,SimSun,serif}
table{border-collapse:collapse} td{font-size:12px;line-height:22px}
.top{background:#0b5aa2;color:#fff} .top a{color:#fff;text-decoration:none;margin:0 8px}
.box{border:1px solid #9cc1e4;background:#fff} .tit{background:#dbe9f7;font-weight:bold;color:#0b5aa2;padding-left:8px}
.red{color:#f00} .foot{color:#555;line-height:24px}
</style></head>
<body>
<table width="980" border="0" align="center" cellpadding="0" cellspacing="0">
<tr><td height="70"><img src="/images/logo.gif" alt="蜀游卡盟" width="260" height="60" align="absmiddle"> <font color="#0b5aa2" size="4"><b>蜀游卡盟</b></font> <font color="#888">十年老店 · 诚信经营</font></td>
<td align="right"><font color="#f60">客服热线：028-85562317</font><br>值班QQ：1873362091 &nbsp; 2215806347</td></tr>
<tr class="top"><td colspan="2" height="32">
<a href="/">网站首页</a>|<a href="/product.asp">商品列表</a>|<a href="/member/index.asp">会员中心</a>|<a href="/help.asp">帮助中心</a>|<a href="/news_12.asp">网站公告</a>|<a href="/about.asp">关于我们</a>|<a href="/reg.asp">免费注册</a>
</td></tr></table>

<table width="980" border="0" align="center" cellpadding="10" class="box" style="margin-top:8px"><tr><td align="center">
<p><font color="#f00">您还没有登录或登录已超时，请先登录后再访问会员中心！</font></p>
<form action="/member/login.asp" method="post">
<table cellpadding="6"><tr><td>用户名：</td><td><input name="username" size="20"></td></tr>
<tr><td>密&nbsp;&nbsp;码：</td><td><input type="password" name="pwd" size="20"></td></tr>
<tr><td>验证码：</td><td><input name="code" size="6"> <img src="/code.asp" width="50" height="18"></td></tr>
<tr><td colspan="2" align="center"><input type="submit" value="登 录"> &nbsp; <a href="/reg.asp">没有账号？免费注册</a></td></tr></table></form>
<p align="left">会员中心功能：账户充值、购买卡密、已购卡密提取、我的订单（撤单/问题卡申报）、资金明细、修改资料。<br>
登录遇到问题请联系值班客服QQ：1873362091，或拨打028-85562317。<br>
为了您的账户安全，请不要在网吧等公共电脑上勾选“记住密码”，离开前请点击“安全退出”。</p>
</td></tr></table><table width="980" border="0" align="center" cellpadding="6" cellspacing="0" class="box" style="margin-top:8px">
<tr><td align="center" class="foot">
<a href="/about.asp">关于我们</a> | <a href="/help.asp">帮助中心</a> | <a href="/help_show_3.asp">购卡须知</a> | <a href="/help.asp#daili">代理加盟</a> | <a href="/about.asp#lianxi">联系我们</a><br>
Copyright 2014-2025 蜀游卡盟 All Rights Reserved &nbsp; 客服热线：028-85562317<br>
备案号：蜀ICP备2022014583号-1 &nbsp;&nbsp; <img src="/images/ga.png" width="14" height="14" align="absmiddle"> 川公网安备 51010702043218号<br>
<font color="#999">温馨提示：本站不向未成年人提供服务，请合理安排游戏时间。</font>
</td></tr></table>
</body></html>
